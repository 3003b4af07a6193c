package org.smearscan.train.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.smearscan.chart.Charts;
import org.smearscan.train.callback.EpochRecord;
import org.smearscan.train.callback.LrFinder;

/**
 * The charts a training run draws into its folder from its per-batch log: loss, schedule and the learning
 * rate finder's curve, as PNG files in the common {@link Charts} style, each written atomically.
 */
public final class TrainingCharts {
    static final int WIDTH = 800;
    static final int HEIGHT = 500;
    /** Epoch ticks: at most two decimals (a short run's halves and quarters), never a grouping separator. */
    static final String EPOCH_PATTERN = "0.##";

    private TrainingCharts() {}

    /**
     * fastai's plot_loss: the smoothed training loss per batch, and the validation loss at the end of each
     * epoch. The x axis counts epochs, so its labels stay short whatever the run's length, and each
     * validation point sits on a whole number.
     */
    public static void lossCurve(Path file, float[] smoothLosses, List<EpochRecord> history, int batchesPerEpoch)
            throws IOException {
        Charts.save(lossChart(smoothLosses, history, batchesPerEpoch), file);
    }

    static XYChart lossChart(float[] smoothLosses, List<EpochRecord> history, int batchesPerEpoch) {
        XYChart chart = Charts.xy(WIDTH, HEIGHT, "Loss", "epoch", "loss");
        double[] x = epochs(smoothLosses.length, batchesPerEpoch);
        if (smoothLosses.length > 0) {
            double[] y = new double[smoothLosses.length];
            for (int i = 0; i < y.length; i++) {
                y[i] = finite(smoothLosses[i]);
            }
            Charts.line(chart.addSeries("train (smoothed)", x, y), Charts.CURVE);
        }
        List<Double> vx = new ArrayList<>();
        List<Double> vy = new ArrayList<>();
        int lastEpoch = 0;
        for (EpochRecord r : history) {
            lastEpoch = Math.max(lastEpoch, r.epoch());
            if (!Double.isNaN(r.validLoss())) {
                vx.add((double) r.epoch());
                vy.add(r.validLoss());
            }
        }
        if (!vx.isEmpty()) {
            Charts.points(chart.addSeries("valid", vx, vy), Charts.SECOND);
        }
        if (chart.getSeriesMap().isEmpty()) {
            chart.addSeries("no data", new double[] {0}, new double[] {0});
        }
        epochAxis(chart, Math.max(lastEpoch, x.length == 0 ? 0 : x[x.length - 1]));
        return chart;
    }

    /** The head's learning rate and the momentum at every batch of the run, against epochs as for the loss. */
    public static void schedule(Path file, float[] learningRates, float[] momentums, int batchesPerEpoch)
            throws IOException {
        Charts.save(scheduleChart(learningRates, momentums, batchesPerEpoch), file);
    }

    static XYChart scheduleChart(float[] learningRates, float[] momentums, int batchesPerEpoch) {
        XYChart chart = Charts.xy(WIDTH, HEIGHT, "Learning rate and momentum", "epoch", "learning rate");
        double[] x = epochs(learningRates.length, batchesPerEpoch);
        double[] lr = new double[learningRates.length];
        double[] mom = new double[momentums.length];
        for (int i = 0; i < x.length; i++) {
            lr[i] = learningRates[i];
            mom[i] = momentums[i];
        }
        double last = x.length == 0 ? 0 : x[x.length - 1];
        if (x.length == 0) {
            x = new double[] {0};
            lr = new double[] {0};
            mom = new double[] {0};
        }
        Charts.line(chart.addSeries("learning rate (head)", x, lr), Charts.CURVE);
        XYSeries momentum = Charts.line(chart.addSeries("momentum / beta1", x, mom), Charts.SECOND);
        momentum.setYAxisGroup(1);
        chart.setYAxisGroupTitle(1, "momentum");
        epochAxis(chart, last);
        return chart;
    }

    /**
     * Batch {@code i} of the run at the middle of its stretch of the run, in epochs: {@code (i + 0.5) /
     * batchesPerEpoch}. Midpoints keep the x values from being equally spaced with the axis origin and the
     * epoch ends: XChart 3.8.8 puts ticks only at data values when they are equally spaced, which with one
     * value per batch gave ticks at odd values (1, 426, 851 ...) whose labels ran into each other.
     */
    private static double[] epochs(int batches, int batchesPerEpoch) {
        double perEpoch = Math.max(1, batchesPerEpoch);
        double[] x = new double[batches];
        for (int i = 0; i < batches; i++) {
            x[i] = (i + 0.5) / perEpoch;
        }
        return x;
    }

    /** An x axis from 0 to the last epoch reached, labelled without thousands separators. */
    private static void epochAxis(XYChart chart, double lastEpoch) {
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(Math.max(1.0, Math.ceil(lastEpoch)));
        chart.getStyler().setXAxisDecimalPattern(EPOCH_PATTERN);
    }

    /** fastai's lr_find plot: smoothed loss against a logarithmic learning rate, suggestions marked. */
    public static void lrFinder(Path file, LrFinder.Result result) throws IOException {
        XYChart chart = Charts.xy(WIDTH, HEIGHT, "Learning rate finder", "learning rate (log scale)",
                "loss (smoothed)");
        chart.getStyler().setXAxisLogarithmic(true);
        double[] lrs = result.learningRates();
        double[] losses = result.smoothLosses();
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (int i = 0; i < lrs.length; i++) {
            if (Double.isFinite(losses[i]) && lrs[i] > 0) {
                x.add(lrs[i]);
                y.add(losses[i]);
            }
        }
        if (x.isEmpty()) {
            x.add(1e-7);
            y.add(0.0);
        }
        Charts.line(chart.addSeries("loss", x, y), Charts.CURVE);
        addPoint(chart, "valley " + String.format(java.util.Locale.ROOT, "%.2e", result.valley()), result.valley(), lrs, losses);
        addPoint(chart, "minimum/10 " + String.format(java.util.Locale.ROOT, "%.2e", result.minimumOver10()),
                result.minimumOver10(), lrs, losses);
        Charts.save(chart, file);
    }

    private static void addPoint(XYChart chart, String name, double lr, double[] lrs, double[] losses) {
        if (!(lr > 0)) {
            return;
        }
        int nearest = 0;
        for (int i = 1; i < lrs.length; i++) {
            if (Math.abs(Math.log(lrs[i] / lr)) < Math.abs(Math.log(lrs[nearest] / lr))) {
                nearest = i;
            }
        }
        if (lrs.length == 0 || !Double.isFinite(losses[nearest])) {
            return;
        }
        XYSeries s = chart.addSeries(name, new double[] {lr}, new double[] {losses[nearest]});
        s.setMarker(SeriesMarkers.DIAMOND);
    }

    private static double finite(float v) {
        return Float.isFinite(v) ? v : Double.NaN;
    }
}
