package org.smearscan.train.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
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
        TrainingCharts.schedule(plot("training-schedule"), lr, mom);
        read(plot("training-schedule"));
    }

    @Test
    void drawsEmptyChartsWithoutData() throws IOException {
        TrainingCharts.lossCurve(plot("training-loss-empty"), new float[0], List.of(), BATCHES_PER_EPOCH);
        read(plot("training-loss-empty"));
        TrainingCharts.schedule(plot("training-schedule-empty"), new float[0], new float[0]);
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
