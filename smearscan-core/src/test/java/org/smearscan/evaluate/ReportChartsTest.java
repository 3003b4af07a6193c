package org.smearscan.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.internal.chartpart.Chart;
import org.smearscan.chart.Charts;

class ReportChartsTest {
    @TempDir
    Path dir;

    /** Writes the chart where a person can look at it (target/plots) and checks it is a real picture. */
    private static BufferedImage saveAndRead(Chart<?, ?> chart, String name) throws IOException {
        Path file = Path.of("target", "plots", name + ".png");
        Charts.save(chart, file);
        BufferedImage image = ImageIO.read(file.toFile());
        assertThat(image.getWidth()).isEqualTo(ReportCharts.WIDTH);
        assertThat(image.getHeight()).isEqualTo(ReportCharts.HEIGHT);
        long distinct = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth()).length > 0
                ? java.util.Arrays.stream(image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0,
                        image.getWidth())).distinct().count() : 0;
        assertThat(distinct).as(name + " has more than a few colours").isGreaterThan(20);
        return image;
    }

    @Test
    void drawsTheConfusionMatrixRocAndReliabilityCharts() throws IOException {
        double[] p = MetricsTest.P;
        boolean[] y = MetricsTest.Y;
        Confusion c = Confusion.at(p, y, 0.5);
        saveAndRead(ReportCharts.confusionMatrix(List.of("Parasitized", "Uninfected"), 0, c, "Confusion matrix"),
                "confusion");
        saveAndRead(ReportCharts.roc(RocCurve.of(p, y), 0.875, List.of(OperatingPoint.at(p, y, 0.5),
                OperatingPoint.forSensitivity(p, y, 0.98)), List.of("threshold 0.5", "sensitivity 0.98")), "roc");
        saveAndRead(ReportCharts.reliability(Calibration.reliability(p, y), "Reliability"), "reliability");
    }

    @Test
    void confusionMatrixCellsHoldTheCountsWithThePositiveClassFirst() {
        // Row "Parasitized" (actual positive): TP then FN; row "Uninfected": FP then TN.
        var chart = ReportCharts.confusionMatrix(List.of("Parasitized", "Uninfected"), 0, new Confusion(7, 2, 9, 1),
                "t");
        List<? extends Number[]> cells = chart.getHeatMapSeries().getHeatData();
        // XChart counts rows upwards, so the first class (actual Parasitized) is row 1 of 0..1.
        assertThat(cells).anySatisfy(cell -> assertThat(cell).containsExactly(0, 1, 7L));
        assertThat(cells).anySatisfy(cell -> assertThat(cell).containsExactly(1, 1, 1L));
        assertThat(cells).anySatisfy(cell -> assertThat(cell).containsExactly(0, 0, 2L));
        assertThat(cells).anySatisfy(cell -> assertThat(cell).containsExactly(1, 0, 9L));
    }

    @Test
    void readsHistoryAndDrawsLossAndSchedule() throws IOException {
        Files.writeString(dir.resolve("history.csv"), """
                epoch,train_loss,valid_loss,accuracy,error_rate,auc,lr,seconds,img_per_s
                1,0.62,0.55,0.71,0.29,0.80,0.001,10.5,120.0
                2,0.41,nan,0.85,0.15,0.92,0.0005,10.1,125.0
                """);
        TrainingHistory history = TrainingHistory.read(dir);
        assertThat(history.epochColumn("train_loss")).containsExactly(0.62, 0.41);
        assertThat(history.epochColumn("valid_loss")[1]).isNaN();
        XYChart loss = ReportCharts.lossCurves(history);
        assertThat(loss.getSeriesMap()).containsKeys("train", "valid");
        saveAndRead(loss, "loss-epochs");
        XYChart schedule = ReportCharts.schedule(history);
        assertThat(schedule.getSeriesMap()).containsOnlyKeys("learning rate");
        assertThat(schedule.getSeriesMap().get("learning rate").getXData()).containsExactly(1, 2);
        saveAndRead(schedule, "schedule-epochs");
    }

    @Test
    void noHistoryMeansNoTrainingCharts() throws IOException {
        TrainingHistory none = TrainingHistory.read(dir);
        assertThat(none).isEqualTo(new TrainingHistory(Map.of()));
        assertThat(ReportCharts.lossCurves(none)).isNull();
        assertThat(ReportCharts.schedule(none)).isNull();
    }

    @Test
    void aMalformedHistoryIsNamed() throws IOException {
        Files.writeString(dir.resolve("history.csv"), "epoch,train_loss\n1,0.5,0.7\n");
        assertThatThrownBy(() -> TrainingHistory.read(dir)).hasMessageContaining("history.csv line 2");
    }
}
