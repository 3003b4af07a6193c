package org.smearscan.bench.inference;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.smearscan.bench.BenchCommand;
import org.smearscan.inference.CellClassifier;
import org.smearscan.inference.EngineKind;
import org.smearscan.modelfile.ModelInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Single-image latency and batched throughput of one model on each inference engine (PyTorch through DJL,
 * ONNX Runtime), measured the way {@link CellClassifier} runs them: the model loaded with
 * {@link CellClassifier#load(Path, EngineKind)} (batch norms folded for PyTorch; for ONNX Runtime the network
 * exported to ONNX in memory, with the product's session options), and the engine's forward pass timed through
 * {@link CellClassifier#logitsOfNormalised}: a host float tensor of normalised images in, logits out.
 *
 * <p>Each repetition times, for every engine in turn (the order alternating from one repetition to the next,
 * so drift hits both): {@code --iters} single images (batch 1), each timed on its own, then {@code --batches}
 * batches of {@code --batch} images. With {@code --predict}, also {@link CellClassifier#predict(BufferedImage)}
 * end to end (resize, normalise, forward, softmax, decision) on generated cell-sized images. Single-image
 * percentiles pool every repetition's samples; throughput is the median over repetitions.
 * bench/latency-vs-pytorch.sh runs it next to PyTorch in Python (bench/latency_pytorch.py).
 *
 * <pre>
 * LatencyBenchmark [--model FILE | --arch compact-slim --head fastai --size 64] [--engines pytorch,onnxruntime]
 *                  [--threads N] [--warmup 50] [--iters 200] [--batch 64] [--batches 10] [--reps 5] [--predict]
 * </pre>
 * Prints a {@code # model …} header with {@code arch= head= size=}, one {@code rep=R engine=E …} line per
 * repetition and engine, then per engine:
 * {@code engine=E single_p50_ms=X single_p99_ms=X single_mean_ms=X batch=N batch_img_per_s=X}
 * (and {@code predict_p50_ms=X predict_p99_ms=X} with {@code --predict}).
 */
@Command(name = "LatencyBenchmark", sortOptions = false,
        description = "Single-image latency (p50, p99) and batched throughput of a model on PyTorch (DJL) and ONNX Runtime.")
public final class LatencyBenchmark extends BenchCommand {
    @Option(names = "--model", paramLabel = "FILE",
            description = "A .smear model file; default: an untrained model of --arch, --head at --size (written to a temporary file).")
    private Path model;

    /** Without --model: the untrained network to write and time. */
    @Mixin
    private NetworkOptions network;

    @Option(names = "--engines", defaultValue = "pytorch,onnxruntime", split = ",", paramLabel = "ENGINE",
            converter = EngineConverter.class,
            description = "Engines to time, comma-separated: pytorch, onnxruntime (default: ${DEFAULT-VALUE}).")
    private List<EngineKind> engines;

    @Option(names = "--threads", paramLabel = "N",
            description = "Engine threads for both engines (CellClassifier.setEngineThreads; default: the engines').")
    private Integer threads;

    @Option(names = "--warmup", defaultValue = "50", paramLabel = "N",
            description = "Untimed single images (and a tenth as many batches, at least 1) per engine first (default: ${DEFAULT-VALUE}).")
    private int warmup;

    @Option(names = "--iters", defaultValue = "200", paramLabel = "N",
            description = "Timed single images per repetition and engine (default: ${DEFAULT-VALUE}).")
    private int iters;

    @Option(names = "--batch", defaultValue = "64", paramLabel = "N", description = "Batch size for throughput (default: ${DEFAULT-VALUE}).")
    private int batch;

    @Option(names = "--batches", defaultValue = "10", paramLabel = "N",
            description = "Timed batches per repetition and engine; 0 skips throughput (default: ${DEFAULT-VALUE}).")
    private int batches;

    @Option(names = "--reps", defaultValue = "5", paramLabel = "N", description = "Repetitions (default: ${DEFAULT-VALUE}).")
    private int reps;

    @Option(names = "--predict", description = "Also time CellClassifier.predict(BufferedImage) end to end, --iters images per repetition.")
    private boolean predict;

    /** Reads engine names as the CLI's --engine does. */
    static final class EngineConverter implements ITypeConverter<EngineKind> {
        @Override
        public EngineKind convert(String value) {
            return EngineKind.parse(value.trim());
        }
    }

    /** One engine's samples over all repetitions. */
    private static final class Samples {
        final List<Double> singleMs = new ArrayList<>();
        final List<Double> predictMs = new ArrayList<>();
        final List<Double> batchRates = new ArrayList<>();
    }

    public static void main(String[] args) {
        BenchCommand.main(new LatencyBenchmark(), args);
    }

    @Override
    protected void run(PrintWriter out) throws Exception {
        positive(iters, "iters");
        positive(reps, "reps");
        positive(batch, "batch");
        if (warmup < 0 || batches < 0) {
            throw usage("--warmup and --batches must not be negative");
        }
        List<EngineKind> order = engines.stream().distinct().toList();
        if (threads != null) {
            positive(threads, "threads");
            CellClassifier.setEngineThreads(threads); // before loading: ONNX Runtime reads it when opening a session
        }
        Path file = model;
        Path written = null;
        if (file == null) {
            Engine.getEngine("PyTorch").setRandomSeed(0);
            written = Files.createTempFile("smearscan-latency", ".smear");
            InferenceBenchmark.writeModel(new PrintWriter(PrintWriter.nullWriter()), written,
                    network.spec(), network.size);
            file = written;
        }
        Map<EngineKind, CellClassifier> classifiers = new EnumMap<>(EngineKind.class);
        try {
            for (EngineKind kind : order) {
                classifiers.put(kind, CellClassifier.load(file, kind));
            }
            measure(out, file, written != null, order, classifiers);
        } finally {
            classifiers.values().forEach(CellClassifier::close);
            if (written != null) {
                Files.deleteIfExists(written);
            }
        }
    }

    private void measure(PrintWriter out, Path file, boolean untrained, List<EngineKind> order,
            Map<EngineKind, CellClassifier> classifiers) {
        ModelInfo info = classifiers.get(order.get(0)).info();
        int px = info.imageSize();
        out.printf(Locale.ROOT, "# model %s arch=%s head=%s size=%d (%s), engines %s, djl %s, pytorch %s,"
                        + " %d pytorch threads, onnxruntime threads %s, %d cores%n",
                untrained ? "untrained" : file.getFileName(), info.spec().architecture(),
                info.spec().head().name().toLowerCase(Locale.ROOT), px,
                classifiers.get(order.get(0)).modelId(), order.stream().map(EngineKind::cliName).toList(),
                Engine.getDjlVersion(), Engine.getEngine("PyTorch").getVersion(), JniUtils.getNumThreads(),
                threads != null ? threads : "default", Runtime.getRuntime().availableProcessors());
        out.printf(Locale.ROOT, "# warmup %d, %d single images and %d batches of %d per repetition and engine, %d repetitions%s%n",
                warmup, iters, batches, batch, reps, predict ? ", predict end to end too" : "");
        out.flush();

        float[] single = randomImages(1, px, 1);
        float[] many = randomImages(batch, px, 2);
        List<BufferedImage> images = predict ? cellImages() : List.of();
        for (EngineKind kind : order) { // warm-up: JIT, allocator, the engines' first-call setup
            CellClassifier c = classifiers.get(kind);
            for (int i = 0; i < warmup; i++) {
                c.logitsOfNormalised(single, 1);
                if (predict) {
                    c.predict(images.get(i % images.size()));
                }
            }
            for (int i = 0; i < (batches == 0 ? 0 : Math.max(1, warmup / 10)); i++) {
                c.logitsOfNormalised(many, batch);
            }
        }

        Map<EngineKind, Samples> samples = new LinkedHashMap<>();
        order.forEach(k -> samples.put(k, new Samples()));
        for (int r = 0; r < reps; r++) {
            List<EngineKind> now = new ArrayList<>(order);
            if (r % 2 == 1) {
                java.util.Collections.reverse(now); // drift hits every engine alike
            }
            for (EngineKind kind : now) {
                CellClassifier c = classifiers.get(kind);
                Samples s = samples.get(kind);
                List<Double> singleMs = new ArrayList<>(iters);
                for (int i = 0; i < iters; i++) {
                    long t0 = System.nanoTime();
                    c.logitsOfNormalised(single, 1);
                    singleMs.add((System.nanoTime() - t0) / 1e6);
                }
                s.singleMs.addAll(singleMs);
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                        "rep=%d engine=%s single_p50_ms=%.3f single_p99_ms=%.3f", r + 1, kind.cliName(),
                        percentile(singleMs, 0.50), percentile(singleMs, 0.99)));
                if (batches > 0) {
                    long t0 = System.nanoTime();
                    for (int i = 0; i < batches; i++) {
                        c.logitsOfNormalised(many, batch);
                    }
                    double rate = (double) batches * batch / ((System.nanoTime() - t0) / 1e9);
                    s.batchRates.add(rate);
                    line.append(String.format(Locale.ROOT, " batch=%d batch_img_per_s=%.1f", batch, rate));
                }
                if (predict) {
                    List<Double> predictMs = new ArrayList<>(iters);
                    for (int i = 0; i < iters; i++) {
                        BufferedImage image = images.get(i % images.size());
                        long t0 = System.nanoTime();
                        c.predict(image);
                        predictMs.add((System.nanoTime() - t0) / 1e6);
                    }
                    s.predictMs.addAll(predictMs);
                    line.append(String.format(Locale.ROOT, " predict_p50_ms=%.3f predict_p99_ms=%.3f",
                            percentile(predictMs, 0.50), percentile(predictMs, 0.99)));
                }
                out.println(line);
                out.flush();
            }
        }
        for (Map.Entry<EngineKind, Samples> e : samples.entrySet()) {
            Samples s = e.getValue();
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                    "engine=%s single_p50_ms=%.3f single_p99_ms=%.3f single_mean_ms=%.3f", e.getKey().cliName(),
                    percentile(s.singleMs, 0.50), percentile(s.singleMs, 0.99),
                    s.singleMs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN)));
            if (batches > 0) {
                line.append(String.format(Locale.ROOT, " batch=%d batch_img_per_s=%.1f", batch,
                        InferenceBenchmark.median(s.batchRates)));
            }
            if (predict) {
                line.append(String.format(Locale.ROOT, " predict_p50_ms=%.3f predict_p99_ms=%.3f",
                        percentile(s.predictMs, 0.50), percentile(s.predictMs, 0.99)));
            }
            out.println(line);
        }
    }

    /** Nearest-rank percentile of unsorted values. */
    static double percentile(List<Double> values, double q) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        int index = (int) Math.min(v.length - 1, Math.ceil(q * v.length) - 1);
        return v[Math.max(0, index)];
    }

    /** Standard-normal floats, like normalised pixels: the network's cost does not depend on them. */
    private static float[] randomImages(int images, int px, long seed) {
        float[] x = new float[images * 3 * px * px];
        Random rnd = new Random(seed);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        return x;
    }

    /** Cell-sized discs, as a camera crop would arrive, for timing predict end to end. */
    private static List<BufferedImage> cellImages() {
        Random rnd = new Random(7);
        List<BufferedImage> images = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            int w = 110 + rnd.nextInt(50);
            int h = 110 + rnd.nextInt(50);
            BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            g.setColor(new Color(215, 140, 160));
            g.fillOval(6, 6, w - 12, h - 12);
            g.dispose();
            images.add(image);
        }
        return images;
    }

    private void positive(int value, String name) {
        if (value < 1) {
            throw usage("--" + name + " must be at least 1, got " + value);
        }
    }
}
