package org.smearscan.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smearscan.inference.Prediction;
import org.smearscan.modelfile.InvalidModelFileException;

/** The job on a local[2] master, on generated images, against the single-process classifier. */
class LocalJobTest {
    @TempDir
    static Path dir;
    static SparkSession spark;
    static Path model;
    static Path images;
    static Map<String, Prediction> expected;

    @BeforeAll
    static void start() throws IOException {
        images = dir.resolve("images");
        List<Path> files = JobFixtures.cells(images, 4, 6, 11);
        model = JobFixtures.splitAtMedian(JobFixtures.model(dir.resolve("random.smear"), 3), files,
                dir.resolve("model.smear"));
        expected = JobResults.expected(model, files);
        Files.writeString(images.resolve("Parasitized").resolve("C900P90ThinF_IMG_1_cell_0.png"), "not a png");
        Files.writeString(images.resolve("notes.txt"), "not an image, not listed");
        spark = SparkSessions.builder("local[2]", List.of()).getOrCreate();
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
        ShippedModel.closeLoaded();
    }

    @Test
    void classifiesEveryImageAsTheClassifierDoesAndListsTheUnreadableOne() throws IOException {
        CellScreeningJob.Summary summary = CellScreeningJob.run(spark, ShippedModel.read(model),
                List.of(images.toString()), dir.resolve("parquet").toString(),
                new CellScreeningJob.Options(5, 3, CellScreeningJob.Format.PARQUET, 2));

        List<Row> cells = JobResults.read(spark, summary.cellsOut(), CellScreeningJob.Format.PARQUET);
        assertThat(cells).hasSize(expected.size() + 1);
        JobResults.assertCellsMatch(cells, expected);
        assertThat(expected.values()).extracting(Prediction::label).as("calls on both sides of the threshold")
                .contains("Parasitized", "Uninfected");
        assertThat(expected.values()).as("every image has an out-of-distribution score")
                .allMatch(p -> !Double.isNaN(p.oodScore()));
        Row bad = cells.stream().filter(r -> r.getAs(CellResults.ERROR) != null).findFirst().orElseThrow();
        assertThat((String) bad.getAs(CellResults.ERROR)).contains("C900P90ThinF_IMG_1_cell_0.png")
                .contains("not an image");
        assertThat((String) bad.getAs(CellResults.DONOR)).isEqualTo("P90");
        assertThat((String) bad.getAs(CellResults.LABEL)).isNull();

        assertThat(summary.classified()).isEqualTo(expected.size());
        assertThat(summary.errors()).isEqualTo(1);
        assertThat(summary.donors()).isEqualTo(5);
    }

    @Test
    void aggregatesPerDonorWithAWilsonInterval() throws IOException {
        CellScreeningJob.Summary summary = CellScreeningJob.run(spark, ShippedModel.read(model),
                List.of(images.toString()), dir.resolve("csv").toString(),
                new CellScreeningJob.Options(64, 0, CellScreeningJob.Format.CSV, 0));

        List<Row> cells = JobResults.read(spark, summary.cellsOut(), CellScreeningJob.Format.CSV);
        JobResults.assertCellsMatch(cells, expected);
        List<Row> donors = JobResults.read(spark, summary.donorsOut(), CellScreeningJob.Format.CSV);
        assertThat(donors).extracting(r -> (String) r.getAs(CellResults.DONOR))
                .containsExactly("P1", "P2", "P3", "P4", "P90");
        for (int d = 1; d <= 4; d++) {
            String donor = "P" + d;
            long infected = expected.entrySet().stream()
                    .filter(e -> e.getKey().contains(donor + "ThinF") && e.getValue().label().equals("Parasitized"))
                    .count();
            Row row = donors.stream().filter(r -> r.getAs(CellResults.DONOR).equals(donor)).findFirst().orElseThrow();
            assertThat((long) row.getAs("images")).isEqualTo(6);
            assertThat((long) row.getAs("infected")).isEqualTo(infected);
            double share = row.getAs("share_infected");
            assertThat(share).isEqualTo(infected / 6.0);
            assertThat((double) row.getAs("share_low")).isLessThanOrEqualTo(share).isGreaterThanOrEqualTo(0);
            assertThat((double) row.getAs("share_high")).isGreaterThanOrEqualTo(share).isLessThanOrEqualTo(1);
            assertThat((long) row.getAs("errors")).isZero();
        }
        Row unreadable = donors.get(4);
        assertThat((long) unreadable.getAs("images")).isZero();
        assertThat((long) unreadable.getAs("errors")).isEqualTo(1);
        assertThat((Double) unreadable.getAs("share_infected")).as("no share over zero images").isNull();
    }

    @Test
    void refusesAnOutputFolderThatHoldsResults() throws IOException {
        Path out = dir.resolve("taken");
        Files.createDirectories(out.resolve(CellScreeningJob.CELLS));
        Path earlier = Files.writeString(out.resolve(CellScreeningJob.CELLS).resolve("part-0.parquet"), "earlier");

        assertThatThrownBy(() -> CellScreeningJob.run(spark, ShippedModel.read(model), List.of(images.toString()),
                out.toString(), new CellScreeningJob.Options(64, 0, CellScreeningJob.Format.PARQUET, 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already exists");
        assertThat(earlier).hasContent("earlier");
    }

    @Test
    void aTamperedModelFileFailsBeforeAnyTaskNamingTheFile() throws IOException {
        Path tampered = Files.copy(model, dir.resolve("tampered.smear"));
        byte[] bytes = Files.readAllBytes(tampered);
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(tampered, bytes);

        assertThatThrownBy(() -> ShippedModel.read(tampered)).isInstanceOf(InvalidModelFileException.class)
                .hasMessageContaining("tampered.smear");
    }
}
