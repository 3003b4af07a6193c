package org.smearscan.bench.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.smearscan.bench.BenchCommand;
import org.smearscan.data.HostBatch;
import org.smearscan.model.Architecture;
import org.smearscan.model.CellNet;
import org.smearscan.model.HeadType;
import org.smearscan.model.ModelSpec;
import org.smearscan.model.Networks;
import org.smearscan.train.BatchSource;
import org.smearscan.train.Callback;
import org.smearscan.train.Initialization;
import org.smearscan.train.Learner;
import org.smearscan.train.LearningRates;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Training throughput of the real training loop (Learner, AdamW one-cycle, per-batch managers) on
 * synthetic input, for bench/train-vs-pytorch.sh. The model is torchvision's resnet18 layout with a
 * 2-class linear head, the same network bench/pytorch_train_bench.py trains.
 *
 * <pre>TrainingBenchmark [--size 64] [--batch 64] [--batches 30] [--warmup 5] [--reps 3]</pre>
 *
 * Prints one line per repetition: {@code djl size=64 rep=1 img_per_s=...}. With
 * {@code -Dsmearscan.profile=FILE} it runs PyTorch's profiler over the timed batches of the last repetition
 * and writes its Chrome trace to FILE (bench/profile-vs-pytorch.sh).
 */
@Command(name = "TrainingBenchmark", sortOptions = false,
        description = "Training throughput of the real training loop on synthetic input (resnet18 layout, 2-class linear head).")
public final class TrainingBenchmark extends BenchCommand {
    private static final String PROFILE_TRACE = System.getProperty("smearscan.profile");

    @Option(names = "--size", defaultValue = "64", paramLabel = "PX", description = "Input size (default: ${DEFAULT-VALUE}).")
    private int size;

    @Option(names = "--batch", defaultValue = "64", paramLabel = "N", description = "Batch size (default: ${DEFAULT-VALUE}).")
    private int batch;

    @Option(names = "--batches", defaultValue = "30", paramLabel = "N",
            description = "Timed batches per repetition (default: ${DEFAULT-VALUE}).")
    private int batches;

    @Option(names = "--warmup", defaultValue = "5", paramLabel = "N",
            description = "Untimed batches before them (default: ${DEFAULT-VALUE}).")
    private int warmup;

    @Option(names = "--reps", defaultValue = "3", paramLabel = "N",
            description = "Repetitions, each with a fresh network (default: ${DEFAULT-VALUE}).")
    private int reps;

    public static void main(String[] args) {
        BenchCommand.main(new TrainingBenchmark(), args);
    }

    @Override
    protected void run(PrintWriter out) {
        String arch = "resnet18";
        double[] results = new double[reps];
        for (int r = 0; r < reps; r++) {
            double[] rates = measure(Architecture.parse(arch), size, batch, batches, warmup);
            results[r] = rates[0];
            out.printf(Locale.ROOT,
                    "djl size=%d rep=%d img_per_s=%.2f img_per_cpu_s=%.2f ms_per_batch forward=%.1f backward=%.1f"
                            + " step=%.1f%n",
                    size, r + 1, rates[0], rates[1], rates[2], rates[3], rates[4]);
        }
        double[] sorted = results.clone();
        Arrays.sort(sorted);
        out.printf(Locale.ROOT, "djl size=%d median_img_per_s=%.2f engine=%s%n", size, sorted[reps / 2],
                Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
    }

    /**
     * Images per second of wall time and per second of process CPU time, over {@code batches} timed
     * batches after {@code warmup} untimed ones (CPU time is the steadier figure on a busy machine), then
     * the mean milliseconds per batch of forward + loss, backward and optimizer step, which tell where a
     * difference against PyTorch lies.
     */
    static double[] measure(Architecture arch, int size, int batch, int batches, int warmup) {
        try (NDManager manager = NDManager.newBaseManager()) {
            CellNet net = Networks.build(new ModelSpec(arch, HeadType.LINEAR, 2));
            Initialization.initialize(net, manager, size, 1);
            RepeatingBatches source = new RepeatingBatches(size, batch, warmup + batches);
            Timer timer = new Timer(warmup);
            try (Learner learner = Learner.builder(net, manager).train(source).callback(timer).build()) {
                learner.fitOneCycle(1, LearningRates.single(1e-3));
            }
            if (PROFILE_TRACE != null) {
                JniUtils.stopProfile(PROFILE_TRACE); // each repetition overwrites the trace: the last one stays
            }
            double images = (double) batches * batch;
            double[] phases = timer.phaseMillisPerBatch();
            return new double[] {images / timer.seconds(), images / timer.cpuSeconds(), phases[0], phases[1], phases[2]};
        }
    }

    /** Times from the end of the warm-up batches to the end of the last batch, and each phase of a batch. */
    private static final class Timer implements Callback {
        private final int warmup;
        private long start;
        private long end;
        private long cpuStart;
        private long cpuEnd;
        private long batchStart;
        private long lossAt;
        private long backwardDone;
        private final long[] phaseNanos = new long[3];
        private int timedBatches;

        Timer(int warmup) {
            this.warmup = warmup;
        }

        @Override
        public void beforeBatch(Learner learner) {
            batchStart = System.nanoTime();
        }

        @Override
        public void afterLoss(Learner learner) {
            lossAt = System.nanoTime(); // the loss value has been read, so the forward pass has finished
        }

        @Override
        public void beforeStep(Learner learner) {
            backwardDone = System.nanoTime();
        }

        @Override
        public void afterStep(Learner learner) {
            if (learner.iteration() >= warmup) {
                long now = System.nanoTime();
                phaseNanos[0] += lossAt - batchStart;
                phaseNanos[1] += backwardDone - lossAt;
                phaseNanos[2] += now - backwardDone;
                timedBatches++;
            }
        }

        double[] phaseMillisPerBatch() {
            double[] ms = new double[3];
            for (int i = 0; i < 3; i++) {
                ms[i] = timedBatches == 0 ? 0 : phaseNanos[i] / 1e6 / timedBatches;
            }
            return ms;
        }

        @Override
        public void afterBatch(Learner learner) {
            if (learner.iteration() == warmup) {
                if (PROFILE_TRACE != null) {
                    JniUtils.startProfile(false, false, false);
                }
                start = System.nanoTime();
                cpuStart = processCpuNanos();
            }
            end = System.nanoTime();
            cpuEnd = processCpuNanos();
        }

        double seconds() {
            return (end - start) / 1e9;
        }

        double cpuSeconds() {
            return (cpuEnd - cpuStart) / 1e9;
        }

        private static long processCpuNanos() {
            return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean()).getProcessCpuTime();
        }
    }

    /** A few random batches made up front and handed out in turn, so data preparation costs nothing. */
    private static final class RepeatingBatches implements BatchSource {
        private final List<HostBatch> pool = new ArrayList<>();
        private final int batches;
        private final int batchSize;

        RepeatingBatches(int size, int batchSize, int batches) {
            this.batches = batches;
            this.batchSize = batchSize;
            SplittableRandom rnd = new SplittableRandom(1);
            for (int b = 0; b < 4; b++) {
                float[] pixels = new float[batchSize * 3 * size * size];
                for (int i = 0; i < pixels.length; i++) {
                    pixels[i] = (float) (rnd.nextDouble() * 2 - 1);
                }
                int[] labels = new int[batchSize];
                for (int i = 0; i < batchSize; i++) {
                    labels[i] = rnd.nextInt(2);
                }
                pool.add(new HostBatch(pixels, labels, new int[batchSize], batchSize, size));
            }
        }

        @Override
        public Iterator<HostBatch> epoch(int epoch) {
            return new Iterator<>() {
                int next;

                @Override
                public boolean hasNext() {
                    return next < batches;
                }

                @Override
                public HostBatch next() {
                    return pool.get(next++ % pool.size());
                }
            };
        }

        @Override
        public int batchesPerEpoch() {
            return batches;
        }

        @Override
        public int imageCount() {
            return batches * batchSize;
        }
    }
}
