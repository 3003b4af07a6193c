package org.smearscan.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.smearscan.bench.data.DataCacheBenchmark;
import org.smearscan.bench.fields.FieldScreenBenchmark;
import org.smearscan.bench.inference.InferenceBenchmark;
import org.smearscan.bench.inference.LatencyBenchmark;
import org.smearscan.bench.ood.OodNegativesBenchmark;
import org.smearscan.bench.serve.ServeLoadBenchmark;
import org.smearscan.bench.train.OpBenchmark;
import org.smearscan.bench.train.TrainingBenchmark;
import org.smearscan.evaluate.CliFixtures;
import org.smearscan.inference.OodFit;
import org.smearscan.testing.SyntheticCells;
import org.smearscan.testing.SyntheticFields;
import org.smearscan.testing.TestModels;

/**
 * Each benchmark of src/bench run once through its command line on the smallest settings, checking the lines
 * bench/*.sh read from it. Figures are not judged: these only show that the benchmarks still run.
 */
class BenchmarksSmokeTest {
    private record Run(int exitCode, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    /**
     * Runs a benchmark on a thread of its own, so per-thread engine state it sets (gradient mode) stays
     * there, and with a bound on its time, so a hung load test fails instead of stalling the build.
     */
    private static Run run(BenchCommand command, String... args) {
        return assertTimeoutPreemptively(Duration.ofMinutes(2), () -> {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = BenchCommand.execute(command, new PrintWriter(out), new PrintWriter(err), args);
            return new Run(code, out.toString(), err.toString());
        });
    }

    private static Run ok(BenchCommand command, String... args) {
        Run run = run(command, args);
        assertThat(run.exitCode()).as("exit code; stderr:%n%s%nstdout:%n%s", run.err(), run.out()).isZero();
        return run;
    }

    static Stream<Supplier<BenchCommand>> benchmarks() {
        return Stream.of(DataCacheBenchmark::new, InferenceBenchmark::new, LatencyBenchmark::new, ServeLoadBenchmark::new,
                TrainingBenchmark::new, OpBenchmark::new, OodNegativesBenchmark::new, FieldScreenBenchmark::new);
    }

    @ParameterizedTest
    @MethodSource("benchmarks")
    void eachPrintsItsUsageAndRejectsBadCommandLines(Supplier<BenchCommand> benchmark) {
        Run help = ok(benchmark.get(), "--help");
        assertThat(help.out()).startsWith("Usage: ").contains("--help");
        Run wrong = run(benchmark.get(), "--no-such-option", "1");
        assertThat(wrong.exitCode()).isEqualTo(2);
        assertThat(wrong.err()).containsAnyOf("Unknown options: '--no-such-option'", "Missing required option", "Missing required parameter");
    }

    @Test
    void oodNegativesReportsEachKind(@TempDir Path tmp) throws Exception {
        Path[] run = CliFixtures.run(tmp, 12);
        Path split = run[1].resolveSibling("split.tsv");
        Path model = tmp.resolve("with-ood.smear");
        OodFit.addTo(run[1], run[0], split, model, 1);
        Run report = ok(new OodNegativesBenchmark(), model.toString(), "--data", run[0].toString(), "--split-file",
                split.toString(), "--per-kind", "4");
        assertThat(report.out()).contains("refitted on").contains("NIH cells, validation donors not used for the refit")
                .contains("text ").contains("textures and shapes");
        Run without = run(new OodNegativesBenchmark(), run[1].toString(), "--data", run[0].toString(), "--split-file",
                split.toString());
        assertThat(without.exitCode()).isEqualTo(2);
        assertThat(without.err()).contains("has no out-of-distribution score");
    }

    @Test
    void fieldScreenTimesEachStepPerField(@TempDir Path tmp) {
        SyntheticFields.write(tmp.resolve("fields/a.png"), 1, 640, 480);
        SyntheticFields.write(tmp.resolve("fields/b.png"), 2, 640, 480);
        Run run = ok(new FieldScreenBenchmark(), TestModels.trained().toString(), tmp.resolve("fields").toString(),
                "--repeats", "1");
        assertThat(run.out()).contains("2 fields x 1 passes").contains("read + segment + crop + classify")
                .contains("segment alone");
        Run empty = run(new FieldScreenBenchmark(), TestModels.trained().toString(), tmp.toString());
        assertThat(empty.exitCode()).isEqualTo(2);
        assertThat(empty.err()).contains("holds no field photographs");
    }

    @Test
    void dataCacheBuildsReopensAndAssemblesBatches(@TempDir Path tmp) {
        Path data = SyntheticCells.writeDataset(tmp.resolve("cells"), 6, 1);
        Run run = ok(new DataCacheBenchmark(), data.toString(), "--cache-dir", tmp.resolve("cache").toString(),
                "--sizes", "32", "--limit", "4", "--epochs", "1", "--batch", "4");
        assertThat(run.lines()).hasSize(5);
        assertThat(run.lines().get(0)).startsWith("data: ").contains("8 images (first 4 per class)");
        assertThat(run.lines().get(1)).matches("cache 32 px: \\w+ 8 images in .*, 0 unreadable");
        assertThat(run.lines().get(2)).startsWith("cache 32 px: reopened and verified in ");
        assertThat(run.lines().subList(3, 5)).allMatch(l -> l.matches("batches 32 px: [0-9]+ img/s \\(batch 4, .*"));
    }

    @Test
    void inferencePrintsEachRepetitionThenTheMedian() {
        Run run = ok(new InferenceBenchmark(), "--arch", "compact-slim", "--head", "fastai", "--size", "32",
                "--batch", "2", "--warmup", "1", "--iters", "1", "--reps", "1");
        assertThat(run.lines()).hasSize(3);
        assertThat(run.lines().get(0)).startsWith("# djl ").contains("compact-slim/FASTAI at 32 px, batch 2");
        assertThat(run.lines().get(1)).matches("rep 1: [0-9.]+ images/s");
        assertThat(run.lines().get(2)).matches("median_images_per_s [0-9.]+");
    }

    @Test
    void serveLoadWritesAModelThenComparesBatchingWithOneAtATime(@TempDir Path tmp) {
        Path model = tmp.resolve("untrained.smear");
        Run written = ok(new InferenceBenchmark(), "--write-model", model.toString(), "--arch", "compact-slim",
                "--size", "32");
        assertThat(written.out()).startsWith("wrote untrained compact-slim model (32 px) to ");
        assertThat(model).isRegularFile();

        // serve-load.sh --quick passes "--clients 4 --seconds 2 --warmup 1" before the user's options: the last wins
        Run run = ok(new ServeLoadBenchmark(), "--model", model.toString(), "--clients", "4", "--seconds", "2",
                "--warmup", "1", "--clients", "2", "--seconds", "1", "--warmup", "0", "--max-batch", "4",
                "--max-wait-ms", "1");
        List<String> lines = run.lines();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).startsWith("# model ").contains("engines [pytorch], 2 clients x 1 s, 16 distinct images");
        assertThat(lines.get(1)).matches("engine=pytorch +mode=batched clients=2 +micro-batching \\(max batch 4, wait 1 ms\\) .*");
        assertThat(lines.get(2)).matches("engine=pytorch +mode=single +clients=2 +one at a time \\(max batch 1\\) .*");
        assertThat(lines.subList(1, 3)).allMatch(l -> l.matches(".* images/s +p50 +[0-9.]+ ms +p99 +[0-9.]+ ms"
                + " +errors 0 {2}\\([1-9][0-9]* ok\\)"));
        assertThat(lines.get(3)).matches("engine=pytorch speedup [0-9.]+");
    }

    @Test
    void serveLoadRunsEachEngineAndASingleClientOneImageAtATime(@TempDir Path tmp) {
        Path model = tmp.resolve("untrained.smear");
        ok(new InferenceBenchmark(), "--write-model", model.toString(), "--arch", "compact-slim", "--size", "32");

        // serve-load.sh --quick --single-client --engine pytorch,onnxruntime --modes single --threads 1
        Run run = ok(new ServeLoadBenchmark(), "--model", model.toString(), "--clients", "4", "--seconds", "2",
                "--warmup", "1", "--engine", "pytorch,onnxruntime", "--modes", "single", "--threads", "1",
                "--seconds", "1", "--warmup", "0", "--clients", "1");
        List<String> lines = run.lines();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("# model ")
                .contains("engines [pytorch, onnxruntime], 1 clients x 1 s, 16 distinct images, 1 engine threads");
        assertThat(lines.get(1)).matches("engine=pytorch +mode=single +clients=1 +one at a time \\(max batch 1\\) .*"
                + " errors 0 {2}\\([1-9][0-9]* ok\\)");
        assertThat(lines.get(2)).matches("engine=onnxruntime mode=single +clients=1 +one at a time \\(max batch 1\\) .*"
                + " errors 0 {2}\\([1-9][0-9]* ok\\)");

        Run onnxOnly = ok(new ServeLoadBenchmark(), "--model", model.toString(), "--engine", "onnxruntime",
                "--modes", "batched", "--clients", "2", "--seconds", "1", "--warmup", "0", "--max-batch", "4");
        assertThat(onnxOnly.lines()).hasSize(2);
        assertThat(onnxOnly.lines().get(1)).startsWith("engine=onnxruntime mode=batched clients=2 ");

        Run wrong = run(new ServeLoadBenchmark(), "--model", model.toString(), "--engine", "tensorflow");
        assertThat(wrong.exitCode()).isEqualTo(2);
        assertThat(wrong.err()).contains("unknown engine 'tensorflow'");
    }

    @Test
    void latencyTimesBothEnginesOnAnUntrainedDefaultModel() {
        Run run = ok(new LatencyBenchmark(), "--size", "32", "--threads", "1", "--warmup", "1", "--iters", "3",
                "--batch", "2", "--batches", "1", "--reps", "2", "--predict");
        List<String> lines = run.lines();
        assertThat(lines).hasSize(8);
        assertThat(lines.get(0)).startsWith("# model untrained arch=compact-slim head=fastai size=32 (")
                .contains("engines [pytorch, onnxruntime]").contains("1 pytorch threads, onnxruntime threads 1");
        assertThat(lines.get(1)).startsWith("# warmup 1, 3 single images and 1 batches of 2 per repetition and engine, 2 repetitions");
        String figures = " single_p50_ms=[0-9.]+ single_p99_ms=[0-9.]+";
        String rest = " batch=2 batch_img_per_s=[0-9.]+ predict_p50_ms=[0-9.]+ predict_p99_ms=[0-9.]+";
        // the engines alternate: the second repetition starts with the engine that ended the first
        assertThat(lines.get(2)).matches("rep=1 engine=pytorch" + figures + rest);
        assertThat(lines.get(3)).matches("rep=1 engine=onnxruntime" + figures + rest);
        assertThat(lines.get(4)).matches("rep=2 engine=onnxruntime" + figures + rest);
        assertThat(lines.get(5)).matches("rep=2 engine=pytorch" + figures + rest);
        assertThat(lines.get(6)).matches("engine=pytorch" + figures + " single_mean_ms=[0-9.]+" + rest);
        assertThat(lines.get(7)).matches("engine=onnxruntime" + figures + " single_mean_ms=[0-9.]+" + rest);
    }

    @Test
    void latencyReadsAModelFileAndTimesOneEngineWithoutThroughput(@TempDir Path tmp) {
        Path model = tmp.resolve("untrained.smear");
        ok(new InferenceBenchmark(), "--write-model", model.toString(), "--arch", "compact-slim", "--size", "32");
        Run run = ok(new LatencyBenchmark(), "--model", model.toString(), "--engines", "onnxruntime", "--warmup", "0",
                "--iters", "2", "--batches", "0", "--reps", "1");
        List<String> lines = run.lines();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).startsWith("# model untrained.smear arch=compact-slim head=fastai size=32 (")
                .contains("engines [onnxruntime]");
        assertThat(lines.get(2)).matches("rep=1 engine=onnxruntime single_p50_ms=[0-9.]+ single_p99_ms=[0-9.]+");
        assertThat(lines.get(3)).matches("engine=onnxruntime single_p50_ms=[0-9.]+ single_p99_ms=[0-9.]+ single_mean_ms=[0-9.]+");

        Run wrong = run(new LatencyBenchmark(), "--iters", "0");
        assertThat(wrong.exitCode()).isEqualTo(2);
        assertThat(wrong.err()).contains("--iters must be at least 1, got 0");
    }

    @Test
    void serveLoadRejectsUnboundedSettingsBeforeLoadingAnything(@TempDir Path tmp) {
        Run run = run(new ServeLoadBenchmark(), "--model", tmp.resolve("absent.smear").toString(), "--clients", "0");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--clients must be 1..256, got 0");
    }

    @Test
    void trainingPrintsTheRepetitionLineTheScriptReads() {
        Run run = ok(new TrainingBenchmark(), "--size", "32", "--batch", "2", "--batches", "1", "--warmup", "1",
                "--reps", "1");
        assertThat(run.lines()).hasSize(2);
        assertThat(run.lines().get(0)).matches("djl size=32 rep=1 img_per_s=[0-9.]+ img_per_cpu_s=[0-9.]+"
                + " ms_per_batch forward=[0-9.]+ backward=[0-9.]+ step=[0-9.]+");
        assertThat(run.lines().get(1)).matches("djl size=32 median_img_per_s=[0-9.]+ engine=PyTorch .*");
    }

    @Test
    void opsPrintOneLinePerOperatorAndShape() {
        Run run = ok(new OpBenchmark(), "--iters", "1", "--reps", "1");
        List<String> ops = run.lines().stream().filter(l -> l.startsWith("djl op=")).toList();
        assertThat(ops).hasSize(10).allMatch(l -> l.matches("djl op=\\w+ shape=\\d+x\\d+x\\d+ median_ms=[0-9.]+"));
        assertThat(ops).anyMatch(l -> l.startsWith("djl op=conv3x3 shape=64x16x16 "))
                .anyMatch(l -> l.startsWith("djl op=add shape=16x32x32 "));
        assertThat(run.lines()).last().asString().startsWith("# engine PyTorch ");
    }
}
