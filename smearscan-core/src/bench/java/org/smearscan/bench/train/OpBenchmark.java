package org.smearscan.bench.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import org.smearscan.bench.BenchCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Single operators of a training step, timed one by one, for bench/ops-vs-pytorch.sh: where the time of
 * {@link TrainingBenchmark} goes that PyTorch in Python does not spend. Shapes are those of
 * resnet18's layer1 at 64 px and batch 64 (64 channels of 16x16), and of the compact-slim net's first stage
 * (16 channels of 32x32). Each op runs in its own NDManager per call, as the Learner's batches do.
 *
 * <pre>OpBenchmark [--iters 50] [--reps 5]</pre>
 *
 * Prints {@code djl op=<name> shape=<CxHxW> median_ms=...} per op.
 */
@Command(name = "OpBenchmark", sortOptions = false,
        description = "Single operators of a training step, timed one by one in SmearScan's engine.")
public final class OpBenchmark extends BenchCommand {
    @Option(names = "--iters", defaultValue = "50", paramLabel = "N",
            description = "Calls per repetition (default: ${DEFAULT-VALUE}).")
    private int iters;

    @Option(names = "--reps", defaultValue = "5", paramLabel = "N",
            description = "Timed repetitions after one untimed (default: ${DEFAULT-VALUE}).")
    private int reps;

    public static void main(String[] args) {
        BenchCommand.main(new OpBenchmark(), args);
    }

    @Override
    protected void run(PrintWriter out) {
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int[] chw : new int[][] {{64, 16, 16}, {16, 32, 32}}) {
                int c = chw[0];
                NDArray x = manager.randomNormal(new Shape(64, c, chw[1], chw[2]));
                NDArray kernel = manager.randomNormal(new Shape(c, c, 3, 3));
                NDArray mean = manager.zeros(new Shape(c));
                NDArray var = manager.ones(new Shape(c));
                NDArray gamma = manager.ones(new Shape(c));
                NDArray beta = manager.zeros(new Shape(c));
                String shape = c + "x" + chw[1] + "x" + chw[2];
                time(out, "conv3x3", shape, x, iters, reps, in -> Conv2d.conv2d(in, kernel, null, new Shape(1, 1),
                        new Shape(1, 1), new Shape(1, 1), 1).singletonOrThrow());
                time(out, "batch_norm_train", shape, x, iters, reps, in -> BatchNorm.batchNorm(in, mean, var, gamma, beta,
                        1, 0.1f, 1e-5f, true).singletonOrThrow());
                time(out, "batch_norm_eval", shape, x, iters, reps, in -> BatchNorm.batchNorm(in, mean, var, gamma, beta,
                        1, 0.1f, 1e-5f, false).singletonOrThrow());
                time(out, "relu", shape, x, iters, reps, Activation::relu);
                time(out, "add", shape, x, iters, reps, in -> in.add(in));
            }
            out.println("# engine " + Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
        }
    }

    private static void time(PrintWriter out, String op, String shape, NDArray x, int iters, int reps,
            Function<NDArray, NDArray> f) {
        double[] ms = new double[reps];
        for (int r = -1; r < reps; r++) { // r = -1 warms up
            long start = System.nanoTime();
            for (int i = 0; i < iters; i++) {
                try (NDManager batch = x.getManager().newSubManager()) {
                    NDArray in = x.duplicate();
                    in.attach(batch);
                    f.apply(in).attach(batch);
                }
            }
            if (r >= 0) {
                ms[r] = (System.nanoTime() - start) / 1e6 / iters;
            }
        }
        Arrays.sort(ms);
        out.printf(Locale.ROOT, "djl op=%s shape=%s median_ms=%.3f%n", op, shape, ms[reps / 2]);
    }
}
