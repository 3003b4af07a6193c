package org.smearscan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smearscan.evaluate.CliFixtures;
import org.smearscan.testing.SyntheticCells;
import org.smearscan.testing.TestModels;

class EvaluateCommandTest {
    @TempDir
    static Path dir;
    static Path data;
    static Path model;

    @BeforeAll
    static void createRun() throws IOException {
        Path[] run = CliFixtures.run(dir, 15);
        data = run[0];
        model = run[1];
    }

    @Test
    void jsonIsOneObjectWithEveryMetricAndItsInterval() throws IOException {
        CliRun o = CliRun.run("evaluate", model.toString(), data.toString(), "--json", "--tta", "--bootstrap", "100");
        assertThat(o.code()).as(o.err()).isZero();
        ObjectMapper mapper = new ObjectMapper();
        // One object and nothing else: parsing the whole of stdout as one value must consume it all.
        var parser = mapper.getFactory().createParser(o.out());
        JsonNode json = mapper.readTree(parser);
        assertThat(parser.nextToken()).as("anything after the JSON object").isNull();
        assertThat(json.isObject()).isTrue();
        for (String name : List.of("accuracy", "sensitivity", "specificity", "precision", "f1", "mcc", "auc",
                "log_loss", "brier")) {
            assertThat(json.has(name)).as(name).isTrue();
            JsonNode ci = json.get(name + "_ci");
            assertThat(ci.isArray() && ci.size() == 2).as(name + "_ci is a [lo, hi] pair").isTrue();
        }
        assertThat(json.get("n").asInt()).isPositive();
        JsonNode confusion = json.get("confusion");
        long total = confusion.get("tp").asLong() + confusion.get("fn").asLong() + confusion.get("fp").asLong()
                + confusion.get("tn").asLong();
        assertThat(total).isEqualTo(json.get("n").asLong());
        assertThat(json.get("tta").get("accuracy").isNumber()).isTrue();
    }

    @Test
    void onnxRuntimeScoresGiveTheSameEvaluation() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        CliRun pytorch = CliRun.run("evaluate", model.toString(), data.toString(), "--json", "--bootstrap", "20");
        CliRun ort = CliRun.run("evaluate", model.toString(), data.toString(), "--json", "--bootstrap", "20",
                "--engine", "onnxruntime");
        assertThat(pytorch.code()).as(pytorch.err()).isZero();
        assertThat(ort.code()).as(ort.err()).isZero();
        JsonNode expected = mapper.readTree(pytorch.out());
        JsonNode actual = mapper.readTree(ort.out());
        assertThat(actual.get("n")).isEqualTo(expected.get("n"));
        assertThat(actual.get("confusion")).isEqualTo(expected.get("confusion"));
        for (String name : List.of("accuracy", "sensitivity", "specificity", "auc", "log_loss", "brier")) {
            assertThat(actual.get(name).asDouble()).as(name).isCloseTo(expected.get(name).asDouble(),
                    org.assertj.core.api.Assertions.within(1e-4));
        }
    }

    @Test
    void aModelWithAnOutOfDistributionScoreCountsTheImagesItDoesNotJudge(@TempDir Path tmp) throws IOException {
        Path cells = SyntheticCells.writeDataset(tmp.resolve("other"), 10, 77);
        Path noise = tmp.resolve("other").resolve("Uninfected").resolve("C999NThinF_IMG_1_cell_0.png");
        ImageIO.write(SyntheticCells.noise(1, 50), "png", noise.toFile());
        Path model = TestModels.trainedWithOod();
        CliRun json = CliRun.run("evaluate", model.toString(), cells.toString(), "--all", "--json", "--bootstrap", "20");
        assertThat(json.code()).as(json.err()).isZero();
        assertThat(new ObjectMapper().readTree(json.out()).get("not_a_cell").asInt()).isBetween(1, 3);
        CliRun text = CliRun.run("evaluate", model.toString(), cells.toString(), "--all", "--bootstrap", "20");
        assertThat(text.out()).containsPattern("not a cell: [1-3] of 21 images");
    }

    @Test
    void textReportNamesEverySection() {
        CliRun o = CliRun.run("evaluate", model.toString(), data.toString(), "--bootstrap", "50", "--threshold", "0.4");
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out()).contains("validation side of").contains("threshold 0.4000").contains("sensitivity")
                .contains("Confusion matrix").contains("Operating point").contains("Calibration").contains("Donors");
    }

    @Test
    void allOnTheTrainingDataIsRefusedWithExitCode1() {
        CliRun o = CliRun.run("evaluate", model.toString(), data.toString(), "--all", "--json");
        assertThat(o.code()).isEqualTo(1);
        assertThat(o.out()).isEmpty();
        assertThat(o.err()).contains("training images of this model");
    }

    @Test
    void badOptionValuesAreUsageErrors() {
        assertThat(CliRun.run("evaluate", model.toString(), data.toString(), "--threshold", "1.5").code()).isEqualTo(2);
        assertThat(CliRun.run("evaluate", model.toString(), data.toString(), "--target-sensitivity", "0").code()).isEqualTo(2);
        assertThat(CliRun.run("evaluate", model.toString()).code()).isEqualTo(2);
    }

    @Test
    void interpretWritesTheReportAndSaysWhere() throws IOException {
        Path out = dir.resolve("interpretation");
        CliRun o = CliRun.run("interpret", model.toString(), data.toString(), "--out", out.toString(), "--k", "4",
                "--bootstrap", "50");
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out()).contains("Report: " + out.resolve("report.html").toAbsolutePath());
        assertThat(Files.readString(out.resolve("report.html"))).contains("Top 4 losses");
    }
}
