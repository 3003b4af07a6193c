package org.smearscan.train.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;

/**
 * Single operators of a training step, timed one by one, for bench/ops-vs-pytorch.sh: where the time of
 * {@link org.smearscan.train.TrainingBenchmark} goes that PyTorch in Python does not spend. Shapes are those of
 * resnet18's layer1 at 64 px and batch 64 (64 channels of 16x16), and of the compact-slim net's first stage
 * (16 channels of 32x32). Each op runs in its own NDManager per call, as the Learner's batches do.
 *
 * <pre>java -cp target/smearscan.jar org.smearscan.train.bench.OpBenchmark [--iters 50] [--reps 5]</pre>
 *
 * Prints {@code djl op=<name> shape=<CxHxW> median_ms=...} per op.
 */
public final class OpBenchmark {
    private OpBenchmark() {}

    public static void main(String[] args) {
        int iters = 50;
        int reps = 5;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--iters" -> iters = Integer.parseInt(args[i + 1]);
                case "--reps" -> reps = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
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
                time("conv3x3", shape, x, iters, reps, in -> Conv2d.conv2d(in, kernel, null, new Shape(1, 1),
                        new Shape(1, 1), new Shape(1, 1), 1).singletonOrThrow());
                time("batch_norm_train", shape, x, iters, reps, in -> BatchNorm.batchNorm(in, mean, var, gamma, beta,
                        1, 0.1f, 1e-5f, true).singletonOrThrow());
                time("batch_norm_eval", shape, x, iters, reps, in -> BatchNorm.batchNorm(in, mean, var, gamma, beta,
                        1, 0.1f, 1e-5f, false).singletonOrThrow());
                time("relu", shape, x, iters, reps, Activation::relu);
                time("add", shape, x, iters, reps, in -> in.add(in));
            }
            System.out.println("# engine " + Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
        }
    }

    private static void time(String op, String shape, NDArray x, int iters, int reps, Function<NDArray, NDArray> f) {
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
        System.out.printf(Locale.ROOT, "djl op=%s shape=%s median_ms=%.3f%n", op, shape, ms[reps / 2]);
    }
}
