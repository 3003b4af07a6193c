package org.smearscan.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smearscan.evaluate.CliFixtures;
import org.smearscan.evaluate.SiteCalibration;
import org.smearscan.inference.CellClassifier;
import org.smearscan.inference.EngineKind;
import org.smearscan.modelfile.ModelFile;
import org.smearscan.modelfile.ModelInfo;
import org.smearscan.testing.TestModels;

/** {@code smearscan calibrate}, then {@code evaluate} of the calibrated model. */
class CalibrateCommandTest {
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

    private static ModelInfo info(Path file) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            return ModelFile.read(file, manager).info();
        }
    }

    @Test
    void writesTheFittedTemperatureAndThresholdWithTheirProvenanceAndEvaluateChecksThem(@TempDir Path tmp)
            throws IOException {
        Path calibrated = tmp.resolve("site.smear");
        CliRun o = CliRun.run("calibrate", model.toString(), data.toString(), "--target-sensitivity", "0.9", "--out",
                calibrated.toString());
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out()).contains("calibrated on", "temperature", "threshold", "model: " + calibrated);

        ModelInfo before = info(model);
        ModelInfo after = info(calibrated);
        Map<String, String> provenance = after.provenance().other();
        assertThat(provenance).containsEntry(SiteCalibration.TARGET, "0.900000")
                .containsEntry(SiteCalibration.SOURCE_MODEL, ModelFile.verify(model).id())
                .containsKeys(SiteCalibration.DATA, SiteCalibration.IMAGES, SiteCalibration.SENSITIVITY);
        assertThat(after.spec()).isEqualTo(before.spec());
        assertThat(after.temperature()).isNotEqualTo(before.temperature());

        // evaluate on the same images: the temperature evaluate fits there is the one calibrate stored, and the
        // sensitivity at the stored threshold reaches the target (by construction on these images)
        ObjectMapper mapper = new ObjectMapper();
        JsonNode plain = mapper.readTree(CliRun.run("evaluate", model.toString(), data.toString(), "--json",
                "--bootstrap", "20").out());
        assertThat(plain.get("calibration").get("fitted_temperature").asDouble())
                .isCloseTo(after.temperature(), within(1e-6));
        String split = model.resolveSibling("split.tsv").toString(); // the source run's split, not beside the copy
        CliRun checked = CliRun.run("evaluate", calibrated.toString(), data.toString(), "--json", "--bootstrap", "20",
                "--split-file", split);
        assertThat(checked.code()).as(checked.err()).isZero();
        JsonNode check = mapper.readTree(checked.out()).get("calibration_check");
        assertThat(check.get("target_sensitivity").asDouble()).isEqualTo(0.9);
        assertThat(check.get("sensitivity").asDouble()).isGreaterThanOrEqualTo(0.9);
        assertThat(check.get("verdict").asText()).isEqualTo("met");
        assertThat(CliRun.run("evaluate", calibrated.toString(), data.toString(), "--bootstrap", "20",
                "--split-file", split).out())
                .contains("calibrated for sensitivity 0.900000: here");

        // the ONNX graph in the new file carries the new temperature: both engines agree
        BufferedImage cell = TestModels.cells(4, 1, true).get(0);
        try (CellClassifier pytorch = CellClassifier.load(calibrated);
                CellClassifier ort = CellClassifier.load(calibrated, EngineKind.ONNXRUNTIME);
                CellClassifier source = CellClassifier.load(model)) {
            double p = pytorch.predict(cell).parasitizedProbability();
            assertThat(ort.predict(cell).parasitizedProbability()).isCloseTo(p, within(1e-4));
            assertThat(pytorch.predict(cell).threshold()).isEqualTo(after.threshold());
            assertThat(p).isNotCloseTo(source.predict(cell).parasitizedProbability(), within(1e-6));
        }
    }

    @Test
    void refusesAThresholdAndAnExistingOutput(@TempDir Path tmp) throws IOException {
        CliRun threshold = CliRun.run("calibrate", model.toString(), data.toString(), "--threshold", "0.3", "--out",
                tmp.resolve("a.smear").toString());
        assertThat(threshold.code()).isEqualTo(2);
        assertThat(threshold.err()).contains("calibrate chooses the threshold");

        Path taken = Files.writeString(tmp.resolve("taken.smear"), "earlier");
        CliRun exists = CliRun.run("calibrate", model.toString(), data.toString(), "--out", taken.toString());
        assertThat(exists.code()).isEqualTo(1);
        assertThat(exists.err()).contains("taken.smear already exists");
        assertThat(taken).hasContent("earlier");
    }
}
