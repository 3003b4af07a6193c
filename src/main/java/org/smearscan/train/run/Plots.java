package org.smearscan.train.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.smearscan.io.AtomicFiles;
import org.smearscan.train.callback.EpochRecord;
import org.smearscan.train.callback.LrFinder;

/** The run's charts as PNG files (XChart, rendered off-screen), each written atomically. */
public final class Plots {
    private Plots() {}

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /**
     * fastai's plot_loss: the smoothed training loss per batch, and the validation loss at the end of each
     * epoch (placed at that epoch's last batch).
     */
    public static void lossCurve(Path file, float[] smoothLosses, List<EpochRecord> history, int batchesPerEpoch)
            throws IOException {
        XYChart chart = new XYChartBuilder().width(800).height(500).title("Loss").xAxisTitle("batch")
                .yAxisTitle("loss").build();
        if (smoothLosses.length > 0) {
            double[] x = new double[smoothLosses.length];
            double[] y = new double[smoothLosses.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = i + 1;
                y[i] = finite(smoothLosses[i]);
            }
            chart.addSeries("train (smoothed)", x, y).setMarker(SeriesMarkers.NONE);
        }
        List<Double> vx = new ArrayList<>();
        List<Double> vy = new ArrayList<>();
        for (EpochRecord r : history) {
            if (!Double.isNaN(r.validLoss())) {
                vx.add((double) r.epoch() * batchesPerEpoch);
                vy.add(r.validLoss());
            }
        }
        if (!vx.isEmpty()) {
            chart.addSeries("valid", vx, vy).setMarker(SeriesMarkers.CIRCLE);
        }
        if (chart.getSeriesMap().isEmpty()) {
            chart.addSeries("no data", new double[] {0}, new double[] {0});
        }
        save(file, chart);
    }

    /** The head's learning rate and the momentum at every batch of the run. */
    public static void schedule(Path file, float[] learningRates, float[] momentums) throws IOException {
        XYChart chart = new XYChartBuilder().width(800).height(500).title("Learning rate and momentum")
                .xAxisTitle("batch").yAxisTitle("learning rate").build();
        double[] x = new double[learningRates.length];
        double[] lr = new double[learningRates.length];
        double[] mom = new double[momentums.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 1;
            lr[i] = learningRates[i];
            mom[i] = momentums[i];
        }
        if (x.length == 0) {
            x = new double[] {0};
            lr = new double[] {0};
            mom = new double[] {0};
        }
        chart.addSeries("learning rate (head)", x, lr).setMarker(SeriesMarkers.NONE);
        XYSeries momentum = chart.addSeries("momentum / beta1", x, mom);
        momentum.setMarker(SeriesMarkers.NONE);
        momentum.setYAxisGroup(1);
        chart.setYAxisGroupTitle(1, "momentum");
        save(file, chart);
    }

    /** fastai's lr_find plot: smoothed loss against a logarithmic learning rate, suggestions marked. */
    public static void lrFinder(Path file, LrFinder.Result result) throws IOException {
        XYChart chart = new XYChartBuilder().width(800).height(500).title("Learning rate finder")
                .xAxisTitle("learning rate (log scale)").yAxisTitle("loss (smoothed)").build();
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
        chart.addSeries("loss", x, y).setMarker(SeriesMarkers.NONE);
        addPoint(chart, "valley " + String.format(java.util.Locale.ROOT, "%.2e", result.valley()), result.valley(), lrs, losses);
        addPoint(chart, "minimum/10 " + String.format(java.util.Locale.ROOT, "%.2e", result.minimumOver10()),
                result.minimumOver10(), lrs, losses);
        save(file, chart);
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

    private static void save(Path file, XYChart chart) throws IOException {
        byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        AtomicFiles.write(file, png);
    }
}
