package org.smearscan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smearscan.field.compose.CellCrop;
import org.smearscan.field.compose.CellSource;
import org.smearscan.field.compose.ComposedField;
import org.smearscan.field.compose.ComposedFieldSet;
import org.smearscan.field.compose.FieldComposer;
import org.smearscan.field.truth.FieldAnnotations;
import org.smearscan.modelfile.ModelFile;
import org.smearscan.modelfile.ModelInfo;
import org.smearscan.testing.SyntheticCells;
import org.smearscan.testing.TestModels;

/**
 * The path a lab takes with its own fields, on composed fields of generated cells: train-fields, then
 * evaluate-fields --json (with the complete truth composed fields have), then screen with the trained model.
 */
class FieldCommandsTest {
    @TempDir
    static Path tmp;
    static Path set;

    @BeforeAll
    static void composeFields() throws Exception {
        Random rnd = new Random(3);
        List<CellCrop> crops = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            crops.add(new CellCrop(SyntheticCells.cell(rnd, i % 4 == 0, 96, 96), i % 4 == 0));
        }
        FieldComposer composer = FieldComposer.builder(CellSource.of(crops)).size(640, 480).cellCount(36).seed(5).build();
        List<ComposedField> fields = new ArrayList<>();
        for (double p : new double[] {0.1, 0.2, 0.1, 0.2, 0.15}) {
            fields.add(composer.compose(p));
        }
        set = tmp.resolve("composed");
        ComposedFieldSet.write(set, fields, "f");
    }

    @Test
    void trainFieldsThenEvaluateFieldsThenScreen() throws Exception {
        Path run = tmp.resolve("run");
        Path fields = set.resolve(ComposedFieldSet.FIELDS);
        Path truth = set.resolve(ComposedFieldSet.TRUTH);
        CliRun trained = CliRun.run("train-fields", fields.toString(), "--annotations", truth.toString(), "--out",
                run.toString(), "--exclude", "f-005.png", "--valid-fraction", "0.25", "--arch", "compact", "--size", "32",
                "--epochs", "2", "--bs", "16");
        assertThat(trained.code()).as(trained.out() + trained.err()).isZero();
        assertThat(trained.out()).contains("4 fields: 3 train, 1 validate, 1 left out").contains("each infected training cell is seen")
                .contains("model: ");

        ModelInfo info = ModelFile.verify(run.resolve("model.smear")).info();
        assertThat(info.screensFields()).isTrue();
        assertThat(info.fields().trainingFields()).hasSize(3).doesNotContain("f-005.png");
        assertThat(info.fields().validationFields()).hasSize(1).doesNotContain("f-005.png");
        assertThat(info.ood()).as("fitted on the field crops").isNotNull();
        assertThat(info.fields().stainNormalized()).isFalse();
        assertThat(Files.list(run.resolve("crops/train/Parasitized")).count()).isPositive();

        CliRun evaluated = CliRun.run("evaluate-fields", run.resolve("model.smear").toString(), fields.toString(),
                "--annotations", truth.toString(), "--fields", "f-005.png", "--json");
        assertThat(evaluated.code()).as(evaluated.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(evaluated.out());
        assertThat(json.fieldNames()).toIterable().containsExactlyInAnyOrder("fields", "cells", "cell_recall",
                "infected_recall", "infected_precision", "infected_f1", "infected_count_mae", "parasitemia_mae",
                "seconds_per_field");
        assertThat(json.get("fields").asInt()).isEqualTo(1);
        assertThat(json.get("cell_recall").get("value").asDouble()).as("generated discs are easy to find").isGreaterThan(0.8);
        assertThat(json.get("seconds_per_field").get("value").asDouble()).isPositive();
        assertThat(evaluated.err()).doesNotContain("trained or validated on");

        CliRun onTraining = CliRun.run("evaluate-fields", run.resolve("model.smear").toString(), fields.toString(),
                "--annotations", truth.toString(), "--complete-truth");
        assertThat(onTraining.code()).as(onTraining.err()).isZero();
        assertThat(onTraining.err()).contains("trained or validated on 4 of these fields");
        assertThat(onTraining.out()).contains("cell recall").contains("f-005.png").contains("detection precision");

        CliRun screened = CliRun.run("screen", run.resolve("model.smear").toString(), fields.resolve("f-005.png").toString(),
                "--format", "json");
        assertThat(screened.code()).as(screened.err()).isZero();
        assertThat(new ObjectMapper().readTree(screened.out()).get("fields").get(0).get("cells").asInt()).isPositive();

        CliRun again = CliRun.run("train-fields", fields.toString(), "--annotations", truth.toString(), "--out",
                run.toString(), "--exclude", "f-005.png", "--valid-fraction", "0.25", "--arch", "compact", "--size", "32",
                "--epochs", "2", "--bs", "16");
        assertThat(again.code()).as(again.out() + again.err()).isZero();
        assertThat(again.out()).contains("reusing the crops").contains("continuing the training run");
    }

    @Test
    void aBaseModelIsTrainedFurtherAndNamedInTheProvenance() throws Exception {
        Path base = TestModels.trained();
        Path run = tmp.resolve("from-base");
        CliRun trained = CliRun.run("train-fields", set.resolve(ComposedFieldSet.FIELDS).toString(), "--annotations",
                set.resolve(ComposedFieldSet.TRUTH).toString(), "--out", run.toString(), "--base", base.toString(),
                "--valid-fraction", "0.25", "--size", "32", "--epochs", "1", "--bs", "16", "--stain-normalize");
        assertThat(trained.code()).as(trained.out() + trained.err()).isZero();

        ModelInfo info = ModelFile.verify(run.resolve("model.smear")).info();
        assertThat(info.fields().stainNormalized()).isTrue();
        ModelInfo baseInfo = ModelFile.verify(base).info();
        assertThat(info.spec()).isEqualTo(baseInfo.spec());
        assertThat(info.provenance().backboneSha256()).isEqualTo(ModelFile.verify(base).sha256());
        assertThat(ModelFile.verify(run.resolve("model.smear")).sha256()).isNotEqualTo(ModelFile.verify(base).sha256());
    }

    @Test
    void composeFieldsWritesFieldsAndTheirCompleteTruth() throws Exception {
        Path cells = SyntheticCells.writeDataset(tmp.resolve("cells"), 30, 4);
        Path out = tmp.resolve("composed-cli");
        CliRun r = CliRun.run("compose-fields", cells.toString(), "--out", out.toString(), "--fields", "3",
                "--parasitemia", "0,10", "--cells-per-field", "40", "--crops", "20");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("3 fields, 120 red cells, 4 infected");

        FieldAnnotations truth = FieldAnnotations.read(out.resolve(ComposedFieldSet.TRUTH));
        assertThat(truth.imageNames()).hasSize(3);
        for (String name : truth.imageNames()) {
            assertThat(ImageIO.read(out.resolve(ComposedFieldSet.FIELDS).resolve(name).toFile()).getWidth()).isEqualTo(1280);
        }
        assertThat(truth.cells(truth.imageNames().get(0))).hasSize(40).noneMatch(c -> c.type().isInfected());
        assertThat(truth.cells(truth.imageNames().get(1))).filteredOn(c -> c.type().isInfected()).hasSize(4);

        CliRun again = CliRun.run("compose-fields", cells.toString(), "--out", out.toString());
        assertThat(again.code()).isEqualTo(2);
        assertThat(again.err()).contains("is not empty");
    }

    @Test
    void badInputIsNamed() {
        CliRun noAnnotations = CliRun.run("train-fields", set.resolve(ComposedFieldSet.FIELDS).toString(), "--annotations",
                tmp.resolve("missing.json").toString(), "--out", tmp.resolve("r2").toString());
        assertThat(noAnnotations.code()).isEqualTo(1);
        assertThat(noAnnotations.err()).contains("missing.json");

        CliRun unknownField = CliRun.run("train-fields", set.resolve(ComposedFieldSet.FIELDS).toString(), "--annotations",
                set.resolve(ComposedFieldSet.TRUTH).toString(), "--exclude", "nope.png", "--out", tmp.resolve("r3").toString());
        assertThat(unknownField.code()).isEqualTo(1);
        assertThat(unknownField.err()).contains("nope.png").contains("does not annotate");
    }
}
