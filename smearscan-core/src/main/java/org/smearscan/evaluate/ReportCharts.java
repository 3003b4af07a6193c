package org.smearscan.evaluate;

import static org.smearscan.chart.Charts.CURVE;
import static org.smearscan.chart.Charts.SECOND;
import static org.smearscan.chart.Charts.line;
import static org.smearscan.chart.Charts.points;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.smearscan.chart.Charts;

/**
 * The evaluation report's charts, drawn by XChart in the common {@link Charts} style: confusion matrix,
 * ROC curve, reliability diagram, and the training run's curves from its history. Each method builds a
 * chart; {@link Charts#png} renders one and {@link Charts#save} writes it atomically.
 */
public final class ReportCharts {
    public static final int WIDTH = 640;
    public static final int HEIGHT = 480;

    private static final Color REFERENCE = new Color(0x999999);
    private static final BasicStroke DASHED =
            new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f);

    private ReportCharts() {}

    /**
     * Counts of actual (rows) against predicted (columns) class, the positive class first. Cells show
     * their counts; colour follows the count.
     *
     * @param classes class names, indexed like the labels
     * @param counts  {@code counts[actual][predicted]}
     */
    public static HeatMapChart confusionMatrix(List<String> classes, long[][] counts, String title) {
        HeatMapChart chart = new HeatMapChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("Predicted").yAxisTitle("Actual").build();
        chart.getStyler().setShowValue(true).setValueFont(new Font(Font.SANS_SERIF, Font.BOLD, 18))
                .setHeatMapValueDecimalPattern("#,##0")
                .setRangeColors(new Color[] {new Color(0xf7fbff), new Color(0x6baed6), new Color(0x08306b)})
                .setValueFontColor(Color.BLACK);
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setPlotContentSize(0.95);
        List<String> x = new ArrayList<>(classes);
        // Rows from the top: the first class at the top as in a printed table (XChart counts y upwards).
        List<String> y = new ArrayList<>(classes);
        java.util.Collections.reverse(y);
        List<Number[]> cells = new ArrayList<>();
        long max = 0;
        for (int actual = 0; actual < classes.size(); actual++) {
            for (int predicted = 0; predicted < classes.size(); predicted++) {
                int row = classes.size() - 1 - actual;
                cells.add(new Number[] {predicted, row, counts[actual][predicted]});
                max = Math.max(max, counts[actual][predicted]);
            }
        }
        chart.getStyler().setMin(0).setMax(Math.max(1, max));
        chart.addSeries("counts", x, y, cells);
        return chart;
    }

    /** The 2x2 matrix of a binary decision; positive class first, as {@code classes} orders it. */
    public static HeatMapChart confusionMatrix(List<String> classes, int positiveClass, Confusion c, String title) {
        if (classes.size() != 2) {
            throw new IllegalArgumentException("a binary confusion matrix needs 2 classes, got " + classes);
        }
        int negativeClass = 1 - positiveClass;
        long[][] counts = new long[2][2];
        counts[positiveClass][positiveClass] = c.truePositives();
        counts[positiveClass][negativeClass] = c.falseNegatives();
        counts[negativeClass][positiveClass] = c.falsePositives();
        counts[negativeClass][negativeClass] = c.trueNegatives();
        return confusionMatrix(classes, counts, title);
    }

    /** The ROC curve with the chance diagonal and the operating points marked. */
    public static XYChart roc(RocCurve curve, double auc, List<OperatingPoint> points, List<String> pointLabels) {
        XYChart chart = xy(String.format("ROC curve (AUC %.4f)", auc), "1 - specificity (false positive rate)",
                "Sensitivity (true positive rate)");
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
        XYSeries chance = chart.addSeries("chance", new double[] {0, 1}, new double[] {0, 1});
        reference(chance);
        XYSeries roc = chart.addSeries("ROC", curve.falsePositiveRate(), curve.truePositiveRate());
        roc.setMarker(SeriesMarkers.NONE).setLineColor(CURVE).setLineStyle(new BasicStroke(2f));
        Color[] markerColours = {new Color(0xd95f02), new Color(0x1b9e77), new Color(0x7570b3), new Color(0xe7298a)};
        for (int i = 0; i < points.size(); i++) {
            OperatingPoint p = points.get(i);
            XYSeries s = chart.addSeries(pointLabels.get(i), new double[] {1 - p.specificity().value()},
                    new double[] {p.sensitivity().value()});
            s.setMarker(SeriesMarkers.DIAMOND);
            s.setMarkerColor(markerColours[i % markerColours.length]);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        }
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        return chart;
    }

    /** Accuracy against mean confidence per bin, with the diagonal of perfect calibration. */
    public static XYChart reliability(Calibration.Reliability table, String title) {
        XYChart chart = xy(title, "Confidence (mean of bin)", "Accuracy");
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
        reference(chart.addSeries("perfect calibration", new double[] {0, 1}, new double[] {0, 1}));
        List<Double> confidence = new ArrayList<>();
        List<Double> accuracy = new ArrayList<>();
        for (Calibration.Bin bin : table.bins()) {
            if (bin.count() > 0) {
                confidence.add(bin.meanConfidence());
                accuracy.add(bin.accuracy());
            }
        }
        if (!confidence.isEmpty()) {
            XYSeries s = chart.addSeries(String.format("model (ECE %.4f)", table.expectedCalibrationError()),
                    confidence, accuracy);
            points(s, CURVE);
        }
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        return chart;
    }

    /** Training and validation loss per epoch. Null when the history has neither. */
    public static XYChart lossCurves(TrainingHistory history) {
        double[] trainEpoch = history.epochColumn("train_loss");
        double[] validEpoch = history.epochColumn("valid_loss");
        double[] epoch = history.epochColumn("epoch");
        if (trainEpoch == null && validEpoch == null) {
            return null;
        }
        XYChart chart = xy("Loss", "Epoch", "Cross-entropy");
        int n = trainEpoch != null ? trainEpoch.length : validEpoch.length;
        double[] x = epoch != null ? epoch : indices(n);
        if (trainEpoch != null) {
            XYSeries t = chart.addSeries("train", x, trainEpoch);
            points(t, CURVE);
        }
        if (validEpoch != null) {
            XYSeries v = chart.addSeries("valid", x, validEpoch);
            points(v, SECOND);
        }
        return chart;
    }

    /**
     * The learning rate at the end of each epoch (left axis) and, when the history has it, the momentum
     * (right axis). Null when the history has no rates.
     */
    public static XYChart schedule(TrainingHistory history) {
        double[] lr = history.epochColumn("lr");
        double[] mom = history.epochColumn("mom");
        if (lr == null || lr.length == 0) {
            return null;
        }
        double[] x = history.epochColumn("epoch") != null ? history.epochColumn("epoch") : indices(lr.length);
        XYChart chart = xy("Schedule", "Epoch", "Learning rate");
        XYSeries rate = chart.addSeries("learning rate", x, lr);
        line(rate, CURVE);
        if (mom != null && mom.length == lr.length) {
            XYSeries m = chart.addSeries("momentum", x, mom);
            line(m, SECOND);
            m.setYAxisGroup(1);
            chart.setYAxisGroupTitle(1, "Momentum");
            chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        }
        // Rates span decades (1e-6 to 1e-2) and want scientific notation; momentum (0.85 to 0.95) does not.
        // XChart 3.8.8 ignores per-axis patterns here, so one formatter serves both axes.
        chart.setCustomYAxisTickLabelsFormatter(v -> v == 0 ? "0"
                : Math.abs(v) < 0.05 ? String.format(Locale.ROOT, "%.1e", v) : String.format(Locale.ROOT, "%.3f", v));
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        return chart;
    }

    private static XYChart xy(String title, String xTitle, String yTitle) {
        return Charts.xy(WIDTH, HEIGHT, title, xTitle, yTitle);
    }

    private static void reference(XYSeries s) {
        s.setMarker(SeriesMarkers.NONE).setLineColor(REFERENCE).setLineStyle(DASHED);
    }

    private static double[] indices(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i + 1;
        }
        return x;
    }
}
