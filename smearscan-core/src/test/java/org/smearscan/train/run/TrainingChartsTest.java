package org.smearscan.train.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.smearscan.chart.Charts;
import org.smearscan.train.callback.EpochRecord;
import org.smearscan.train.callback.LrFinder;

class TrainingChartsTest {
    /** A default-recipe-sized run: 345 batches per epoch (22,000 images at 64 a batch), 16 epochs. */
    static final int BATCHES_PER_EPOCH = 345;
    static final int EPOCHS = 16;

    /** Where a person can look at the charts. */
    private static Path plot(String name) {
        return Path.of("target", "plots", name + ".png");
    }

    private static BufferedImage read(Path file) throws IOException {
        BufferedImage image = ImageIO.read(file.toFile());
        assertThat(image.getWidth()).isEqualTo(TrainingCharts.WIDTH);
        assertThat(image.getHeight()).isEqualTo(TrainingCharts.HEIGHT);
        return image;
    }

    static float[] smoothLosses(int batches) {
        float[] loss = new float[batches];
        for (int i = 0; i < batches; i++) {
            loss[i] = (float) (0.15 + 0.55 * Math.exp(-i / (batches / 6.0)) + 0.02 * Math.sin(i / 7.0));
        }
        return loss;
    }

    static List<EpochRecord> history(int epochs) {
        List<EpochRecord> history = new ArrayList<>();
        for (int e = 1; e <= epochs; e++) {
            history.add(new EpochRecord(e, "fit", 0.3, 0.12 + 0.5 * Math.exp(-e / 2.0), 0.9, 0.1, 0.95, 1e-3, 10,
                    100));
        }
        return history;
    }

    @Test
    void drawsTheLossCurveAndTheSchedule() throws IOException {
        int batches = BATCHES_PER_EPOCH * EPOCHS;
        float[] lr = new float[batches];
        float[] mom = new float[batches];
        for (int i = 0; i < batches; i++) {
            double t = (double) i / batches;
            lr[i] = (float) (1e-3 * (t < 0.25 ? t / 0.25 : 0.5 * (1 + Math.cos(Math.PI * (t - 0.25) / 0.75))));
            mom[i] = (float) (0.95 - 0.1 * lr[i] / 1e-3);
        }
        TrainingCharts.lossCurve(plot("training-loss"), smoothLosses(batches), history(EPOCHS), BATCHES_PER_EPOCH);
        read(plot("training-loss"));
        TrainingCharts.schedule(plot("training-schedule"), lr, mom, BATCHES_PER_EPOCH);
        read(plot("training-schedule"));
    }

    @Test
    void theLossChartCountsEpochsOnItsXAxisWithRoundTicks() throws Exception {
        // Batch counts on the axis were grouped and sat at odd values ("1,173 1,466 1,759") that ran into
        // each other; XChart put ticks only at data values because one value per batch is equally spaced.
        for (int perEpoch : new int[] {7, BATCHES_PER_EPOCH}) {
            for (int epochs : new int[] {1, 3, EPOCHS, 120}) {
                int batches = perEpoch * epochs;
                XYChart chart = TrainingCharts.lossChart(smoothLosses(batches), history(epochs), perEpoch);
                assertThat(chart.getXAxisTitle()).isEqualTo("epoch");
                assertThat(chart.getStyler().getXAxisMin()).isEqualTo(0.0);
                assertThat(chart.getStyler().getXAxisMax()).isEqualTo((double) epochs);
                double[] x = chart.getSeriesMap().get("train (smoothed)").getXData();
                assertThat(x[perEpoch - 1]).isStrictlyBetween(1 - 1.0 / perEpoch, 1.0); // epoch 1's last batch
                assertThat(x[batches - 1]).isStrictlyBetween(epochs - 1.0 / perEpoch, (double) epochs);
                assertThat(chart.getSeriesMap().get("valid").getXData()).hasSize(epochs).contains(1.0, epochs);
                String name = "training-loss-" + epochs + "-epochs-of-" + perEpoch;
                Charts.save(chart, plot(name));
                read(plot(name));
                assertRoundTicks(name, xTickLabels(chart), epochs);
            }
        }
        XYChart schedule = TrainingCharts.scheduleChart(new float[] {1e-4f, 1e-3f, 1e-4f, 1e-5f},
                new float[] {0.95f, 0.85f, 0.9f, 0.95f}, 2);
        assertThat(schedule.getXAxisTitle()).isEqualTo("epoch");
        assertThat(schedule.getSeriesMap().get("learning rate (head)").getXData()).containsExactly(0.25, 0.75, 1.25,
                1.75);
        assertThat(schedule.getStyler().getXAxisMax()).isEqualTo(2.0);
        Charts.png(schedule);
        assertRoundTicks("schedule", xTickLabels(schedule), 2);
    }

    /** Tick labels at multiples of one step of 1, 2 or 5 times a power of ten, not too many, no separators. */
    private static void assertRoundTicks(String chart, List<String> labels, int epochs) {
        assertThat(labels).as(chart).hasSizeBetween(3, 25).allSatisfy(l -> assertThat(l).doesNotContain(","));
        List<Double> ticks = labels.stream().map(Double::parseDouble).filter(v -> v >= 0 && v <= epochs).toList();
        assertThat(ticks).as(chart + ": " + labels).contains(0.0, (double) epochs);
        double step = ticks.get(1) - ticks.get(0);
        double magnitude = Math.pow(10, Math.floor(Math.log10(step) + 1e-9));
        assertThat(step / magnitude).as(chart + ": " + labels).isIn(1.0, 2.0, 5.0);
        for (int i = 1; i < ticks.size(); i++) {
            assertThat(ticks.get(i) - ticks.get(i - 1)).as(chart + ": " + labels).isCloseTo(step,
                    org.assertj.core.api.Assertions.within(1e-9));
        }
    }

    /** The x-axis labels XChart drew (its axis internals are not public). */
    @SuppressWarnings("unchecked")
    private static List<String> xTickLabels(XYChart chart) throws Exception {
        java.lang.reflect.Field pair = org.knowm.xchart.internal.chartpart.Chart.class.getDeclaredField("axisPair");
        pair.setAccessible(true);
        var axis = ((org.knowm.xchart.internal.chartpart.AxisPair<?, ?>) pair.get(chart)).getXAxis();
        return axis.getAxisTickCalculator().getTickLabels();
    }

    @Test
    void drawsEmptyChartsWithoutData() throws IOException {
        TrainingCharts.lossCurve(plot("training-loss-empty"), new float[0], List.of(), BATCHES_PER_EPOCH);
        read(plot("training-loss-empty"));
        TrainingCharts.schedule(plot("training-schedule-empty"), new float[0], new float[0], BATCHES_PER_EPOCH);
        read(plot("training-schedule-empty"));
    }

    @Test
    void drawsTheLearningRateFinderCurve() throws IOException {
        double[] lrs = new double[100];
        double[] losses = new double[100];
        for (int i = 0; i < lrs.length; i++) {
            lrs[i] = 1e-7 * Math.pow(1e8, i / 99.0);
            losses[i] = 0.7 - 0.4 * Math.exp(-Math.pow((i - 60) / 15.0, 2)) + (i > 85 ? (i - 85) * 0.1 : 0);
        }
        TrainingCharts.lrFinder(plot("training-lr-find"), new LrFinder.Result(lrs, losses, lrs[50], lrs[60] / 10, true));
        read(plot("training-lr-find"));
    }
}
