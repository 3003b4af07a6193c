package org.smearscan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smearscan.deploy.ModelFile;
import org.smearscan.model.Architecture;
import org.smearscan.testing.SyntheticCells;
import org.smearscan.train.Checkpoint;
import org.smearscan.train.EpochRecord;
import org.smearscan.train.TrainConfig;
import org.smearscan.train.TrainingRun;
import org.smearscan.train.callback.History;

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

    /** Runs the CLI, capturing what it prints. */
    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true));
            System.setErr(new PrintStream(err, true));
            int exit = Main.execute(args);
            return new Run(exit, out.toString(), err.toString());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
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
        Run first = run(train("--epochs", "2", "--out", runDir.toString()));
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out()).contains("best epoch", "model: " + runDir.resolve("model.smear"));
        for (String f : List.of("config.json", "split.tsv", "model.smear", "history.csv", "history.json", "loss.png",
                "schedule.png", "checkpoint.zip")) {
            assertThat(runDir.resolve(f)).isRegularFile();
        }
        TrainConfig config = TrainingRun.readConfig(runDir);
        assertThat(config.recipe().arch()).isEqualTo(Architecture.COMPACT);
        assertThat(config.recipe().size()).isEqualTo(32);
        assertThat(config.split().method().name()).isEqualTo("DONOR");
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelFile.Loaded model = ModelFile.read(runDir.resolve("model.smear"), manager);
            assertThat(model.info().classes()).containsExactly("Parasitized", "Uninfected");
            assertThat(model.info().positiveClass()).isZero();
            assertThat(model.info().imageSize()).isEqualTo(32);
            assertThat(model.info().metrics()).containsKeys("accuracy", "valid_loss", "auc", "epoch");
            assertThat(model.info().provenance()).containsKeys("dataset_fingerprint", "split_fingerprint", "seed",
                    "config", "djl_version", "engine", "java_version");
        }
        List<EpochRecord> history = History.read(runDir);
        assertThat(history).hasSize(2);

        Run resumed = run("train", "--resume", runDir.toString());
        assertThat(resumed.exit()).as(resumed.err()).isZero();
        assertThat(History.read(runDir)).hasSize(2);
        assertThat(Checkpoint.read(runDir.resolve("checkpoint.zip")).state().epochsDone()).isEqualTo(2);

        Run again = run(train("--epochs", "1", "--out", runDir.toString()));
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("already holds a run");
    }

    @Test
    void fineTunesATorchScriptBackbone(@TempDir Path tmp) throws Exception {
        Path runDir = tmp.resolve("bb");
        Path backbone = Path.of("src/test/resources/backbones/mini2stage.pt").toAbsolutePath();
        Run r = run(train("--backbone", backbone.toString(), "--epochs", "1", "--fine-tune", "1", "--split", "random",
                "--monitor", "valid_loss", "--out", runDir.toString()));
        assertThat(r.exit()).as(r.err()).isZero();
        List<EpochRecord> history = History.read(runDir);
        assertThat(history).extracting(EpochRecord::phase).containsExactly("fit", "fine-tune");
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelFile.Loaded model = ModelFile.read(runDir.resolve("model.smear"), manager);
            assertThat(model.info().spec().architecture()).isEqualTo(Architecture.TORCHSCRIPT);
            assertThat(model.info().provenance()).containsKey("backbone_sha256");
        }
    }

    @Test
    void lrFindWritesItsPlotAndSuggests(@TempDir Path tmp) {
        Path out = tmp.resolve("lr");
        List<String> args = new java.util.ArrayList<>(List.of("lr-find"));
        args.addAll(List.of(small("--iterations", "12", "--out", out.toString())));
        Run r = run(args.toArray(new String[0]));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("suggested learning rates: valley");
        assertThat(out.resolve("lr_find.png")).isRegularFile();
        assertThat(out.resolve("lr_find.csv")).isRegularFile();
    }

    @Test
    void badOptionsAreUsageErrorsAndBadDataNamesThePath(@TempDir Path tmp) {
        Run reversed = run(train("--lr", "1e-4:1e-5", "--out", tmp.resolve("a").toString()));
        assertThat(reversed.exit()).isEqualTo(2);
        assertThat(reversed.err()).contains("--lr", "smaller rate");

        Run both = run(train("--backbone", "x.pt", "--pretrained", "imagenet", "--out", tmp.resolve("b").toString()));
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("choose one of --backbone, --pretrained");

        Run arch = run(train("--arch", "vgg", "--out", tmp.resolve("c").toString()));
        assertThat(arch.exit()).isEqualTo(2);
        assertThat(arch.err()).contains("unknown architecture 'vgg'");

        Path missing = tmp.resolve("nowhere");
        Run noData = run("train", missing.toString(), "--out", tmp.resolve("d").toString());
        assertThat(noData.exit()).isEqualTo(1);
        assertThat(noData.err()).contains(missing.toString());

        Run notARun = run("train", "--resume", tmp.toString());
        assertThat(notARun.exit()).isEqualTo(1);
        assertThat(notARun.err()).contains("is not a run folder");
    }
}
