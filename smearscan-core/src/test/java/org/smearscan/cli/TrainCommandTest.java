package org.smearscan.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smearscan.data.ResizeMethod;
import org.smearscan.inference.CellClassifier;
import org.smearscan.inference.EngineKind;
import org.smearscan.model.Architecture;
import org.smearscan.modelfile.ModelFile;
import org.smearscan.testing.PythonTorch;
import org.smearscan.testing.SyntheticCells;
import org.smearscan.testing.TestModels;
import org.smearscan.train.callback.Checkpoint;
import org.smearscan.train.callback.EpochRecord;
import org.smearscan.train.callback.History;
import org.smearscan.train.run.TrainConfig;
import org.smearscan.train.run.TrainingRun;

class TrainCommandTest {
    @TempDir
    static Path shared;
    static Path data;
    static Path cache;

    @BeforeAll
    static void dataset() {
        data = SyntheticCells.writeDataset(shared.resolve("cells"), 40, 5);
        cache = shared.resolve("cache");
    }

    private static String[] small(String... more) {
        List<String> args = new java.util.ArrayList<>(List.of(data.toString(), "--size", "32", "--bs", "16",
                "--cache-dir", cache.toString(), "--workers", "1"));
        args.addAll(List.of(more));
        return args.toArray(new String[0]);
    }

    private static String[] train(String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("train"));
        args.addAll(List.of(small(more)));
        return args.toArray(new String[0]);
    }

    @Test
    void trainsWritesTheRunFolderAndResumesAFinishedRunWithoutTrainingMore(@TempDir Path tmp) throws Exception {
        Path runDir = tmp.resolve("run");
        CliRun first = CliRun.run(train("--epochs", "2", "--out", runDir.toString()));
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out()).contains("best epoch", "model: " + runDir.resolve("model.smear"));
        for (String f : List.of("config.json", "split.tsv", "model.smear", "history.csv", "history.json", "loss.png",
                "schedule.png", "checkpoint.zip")) {
            assertThat(runDir.resolve(f)).isRegularFile();
        }
        TrainConfig config = TrainingRun.readConfig(runDir);
        assertThat(config.recipe().arch()).isEqualTo(Architecture.COMPACT_SLIM);
        assertThat(config.recipe().size()).isEqualTo(32);
        assertThat(config.split().method().name()).isEqualTo("DONOR");
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelFile.Loaded model = ModelFile.read(runDir.resolve("model.smear"), manager);
            assertThat(model.info().classes()).containsExactly("Parasitized", "Uninfected");
            assertThat(model.info().positiveClass()).isZero();
            assertThat(model.info().imageSize()).isEqualTo(32);
            assertThat(model.hasOnnxGraph()).as("train stores the network's ONNX graph").isTrue();
            assertThat(model.info().ood()).as("train fits the out-of-distribution score").isNotNull();
            assertThat(model.info().ood().features().threshold()).isPositive();
            assertThat(model.info().ood().pixels().threshold()).isPositive();
            assertThat(model.info().ood().fittedOn()).contains("training images").contains("validation images");
            assertThat(model.info().metrics()).containsKeys("accuracy", "valid_loss", "auc", "epoch");
            assertThat(model.info().provenance().asMap()).containsKeys("dataset_fingerprint", "split_fingerprint",
                    "seed", "config", "created", "smearscan.version", "djl.version", "pytorch.version", "java.version")
                    .doesNotContainKeys("djl_version", "java_version", "smearscan_version"); // each version once
        }
        try (CellClassifier pytorch = CellClassifier.load(runDir.resolve("model.smear"));
                CellClassifier ort = CellClassifier.load(runDir.resolve("model.smear"), EngineKind.ONNXRUNTIME)) {
            BufferedImage cell = TestModels.cells(3, 1, true).get(0);
            assertThat(ort.modelId()).isEqualTo(pytorch.modelId());
            assertThat(ort.predict(cell).parasitizedProbability())
                    .isCloseTo(pytorch.predict(cell).parasitizedProbability(), within(1e-4));
        }
        List<EpochRecord> history = History.read(runDir);
        assertThat(history).hasSize(2);

        CliRun resumed = CliRun.run("train", "--resume", runDir.toString());
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(History.read(runDir)).hasSize(2);
        assertThat(Checkpoint.read(runDir.resolve("checkpoint.zip")).state().epochsDone()).isEqualTo(2);

        CliRun again = CliRun.run(train("--epochs", "1", "--out", runDir.toString()));
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).contains("already holds a run");
    }

    @Test
    void fineTunesATorchScriptBackbone(@TempDir Path tmp) throws Exception {
        Path runDir = tmp.resolve("bb");
        Path backbone = Path.of("src/test/resources/backbones/mini2stage.pt").toAbsolutePath();
        CliRun r = CliRun.run(train("--backbone", backbone.toString(), "--epochs", "1", "--fine-tune", "1", "--split", "random",
                "--monitor", "valid_loss", "--out", runDir.toString()));
        assertThat(r.code()).as(r.err()).isZero();
        List<EpochRecord> history = History.read(runDir);
        assertThat(history).extracting(EpochRecord::phase).containsExactly("fit", "fine-tune");
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelFile.Loaded model = ModelFile.read(runDir.resolve("model.smear"), manager);
            assertThat(model.info().spec().architecture()).isEqualTo(Architecture.TORCHSCRIPT);
            assertThat(model.info().provenance().backboneSha256()).hasSize(64);
            assertThat(model.hasOnnxGraph()).isFalse();
        }
        assertThat(r.out()).contains("holds no ONNX graph").contains("TorchScript");
    }

    /**
     * The tutorial's recipe as README gives it (resnet34 body file, 128 px squish, flips, one-cycle on the
     * frozen body, then unfrozen fine-tuning with discriminative rates), on a real torchvision resnet34
     * exported by scripts/export_torchvision_body.py. Only the epochs are shortened.
     */
    @Test
    void runsTheTutorialsRecipeOnATorchvisionResnet34Body(@TempDir Path tmp) throws Exception {
        Path backbone = PythonTorch.exportTorchvisionBody("resnet34", tmp.resolve("resnet34.pt"));
        Path runDir = tmp.resolve("tutorial");
        CliRun r = CliRun.run("train", data.toString(), "--split", "random", "--backbone", backbone.toString(),
                "--size", "128", "--epochs", "1", "--fine-tune", "1", "--lr", "1e-3", "--bs", "16",
                "--cache-dir", cache.toString(), "--workers", "1", "--out", runDir.toString());
        assertThat(r.code()).as(r.err()).isZero();

        TrainConfig config = TrainingRun.readConfig(runDir);
        assertThat(config.recipe().size()).isEqualTo(128);
        assertThat(config.recipe().resize()).isEqualTo(ResizeMethod.SQUISH);
        assertThat(config.recipe().dihedral()).isTrue();
        assertThat(config.split().method().name()).isEqualTo("RANDOM");
        assertThat(History.read(runDir)).extracting(EpochRecord::phase).containsExactly("fit", "fine-tune");
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelFile.Loaded model = ModelFile.read(runDir.resolve("model.smear"), manager);
            assertThat(model.info().spec().architecture()).isEqualTo(Architecture.TORCHSCRIPT);
            assertThat(model.info().imageSize()).isEqualTo(128);
        }
    }

    @Test
    void lrFindWritesItsPlotAndSuggests(@TempDir Path tmp) {
        Path out = tmp.resolve("lr");
        List<String> args = new java.util.ArrayList<>(List.of("lr-find"));
        args.addAll(List.of(small("--iterations", "12", "--out", out.toString())));
        CliRun r = CliRun.run(args.toArray(new String[0]));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("suggested learning rates: valley");
        assertThat(out.resolve("lr_find.png")).isRegularFile();
        assertThat(out.resolve("lr_find.csv")).isRegularFile();
    }

    @Test
    void badOptionsAreUsageErrorsAndBadDataNamesThePath(@TempDir Path tmp) {
        CliRun reversed = CliRun.run(train("--lr", "1e-4:1e-5", "--out", tmp.resolve("a").toString()));
        assertThat(reversed.code()).isEqualTo(2);
        assertThat(reversed.err()).contains("--lr", "smaller rate");

        CliRun both = CliRun.run(train("--backbone", "x.pt", "--pretrained", "imagenet", "--out", tmp.resolve("b").toString()));
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).contains("choose one of --backbone, --pretrained");

        CliRun arch = CliRun.run(train("--arch", "vgg", "--out", tmp.resolve("c").toString()));
        assertThat(arch.code()).isEqualTo(2);
        assertThat(arch.err()).contains("unknown architecture 'vgg'");

        Path missing = tmp.resolve("nowhere");
        CliRun noData = CliRun.run("train", missing.toString(), "--out", tmp.resolve("d").toString());
        assertThat(noData.code()).isEqualTo(1);
        assertThat(noData.err()).contains(missing.toString());

        CliRun notARun = CliRun.run("train", "--resume", tmp.toString());
        assertThat(notARun.code()).isEqualTo(1);
        assertThat(notARun.err()).contains("is not a run folder");
    }
}
