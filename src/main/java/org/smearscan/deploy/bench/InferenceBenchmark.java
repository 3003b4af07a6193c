package org.smearscan.deploy.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.smearscan.data.Normalization;
import org.smearscan.data.ResizeMethod;
import org.smearscan.inference.CellClassifier;
import org.smearscan.model.Architecture;
import org.smearscan.model.BatchNormFolding;
import org.smearscan.model.CellNet;
import org.smearscan.model.HeadType;
import org.smearscan.model.ModelSpec;
import org.smearscan.model.Networks;
import org.smearscan.modelfile.ModelFile;
import org.smearscan.modelfile.ModelInfo;

/**
 * Batched CPU inference throughput of one network in DJL, measured the way {@link CellClassifier} runs it:
 * a host float batch copied into the engine, a forward pass in inference mode with gradients off, the
 * logits copied back, one sub-manager per batch. bench/infer-vs-pytorch.sh runs it next to the same
 * network in PyTorch (bench/infer_pytorch.py).
 *
 * <pre>
 * InferenceBenchmark --arch compact-slim|compact|resnet18|resnet34 [--head fastai|linear] [--size 64] [--batch 64] [--no-fold true]
 *                    [--threads N] [--warmup 5] [--iters 20] [--reps 5]
 * InferenceBenchmark --write-model FILE [--arch compact-slim] [--size 64]   (an untrained model file, for timing predict)
 * </pre>
 * Prints one line per repetition and last {@code median_images_per_s X}.
 */
public final class InferenceBenchmark {
    private InferenceBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> o = parse(args);
        Architecture arch = Architecture.parse(o.getOrDefault("arch", "compact-slim"));
        HeadType head = HeadType.valueOf(o.getOrDefault("head", "fastai").toUpperCase(Locale.ROOT));
        int size = Integer.parseInt(o.getOrDefault("size", "64"));
        ModelSpec spec = new ModelSpec(arch, head, 2);
        Engine.getEngine("PyTorch").setRandomSeed(0);
        if (o.containsKey("write-model")) {
            writeModel(Path.of(o.get("write-model")), spec, size);
            return;
        }
        int batch = Integer.parseInt(o.getOrDefault("batch", "64"));
        int warmup = Integer.parseInt(o.getOrDefault("warmup", "5"));
        int iters = Integer.parseInt(o.getOrDefault("iters", "20"));
        int reps = Integer.parseInt(o.getOrDefault("reps", "5"));
        if (o.containsKey("threads")) {
            CellClassifier.setEngineThreads(Integer.parseInt(o.get("threads")));
        }
        CellNet net = Networks.build(spec);
        try (NDManager manager = NDManager.newBaseManager()) {
            net.network().initialize(manager, DataType.FLOAT32, new Shape(batch, 3, size, size));
            if (!o.containsKey("no-fold")) {
                BatchNormFolding.fold(net); // what CellClassifier.load does, so predict's network is timed
            }
            ParameterStore parameters = new ParameterStore(manager, false);
            float[] host = new float[batch * 3 * size * size];
            Random rnd = new Random(1);
            for (int i = 0; i < host.length; i++) {
                host[i] = (float) rnd.nextGaussian();
            }
            JniUtils.setGradMode(false);
            System.out.printf(Locale.ROOT, "# djl %s, pytorch %s, %s/%s at %d px, batch %d, %d engine threads, %s%n",
                    Engine.getDjlVersion(), Engine.getEngine("PyTorch").getVersion(), arch, head, size, batch,
                    JniUtils.getNumThreads(), o.containsKey("no-fold") ? "batch norms as trained" : "batch norms folded");
            for (int i = 0; i < warmup; i++) {
                forward(net, manager, parameters, host, batch, size);
            }
            List<Double> rates = new ArrayList<>();
            for (int r = 0; r < reps; r++) {
                long start = System.nanoTime();
                for (int i = 0; i < iters; i++) {
                    forward(net, manager, parameters, host, batch, size);
                }
                double rate = (double) iters * batch / ((System.nanoTime() - start) / 1e9);
                rates.add(rate);
                System.out.printf(Locale.ROOT, "rep %d: %.1f images/s%n", r + 1, rate);
            }
            System.out.printf(Locale.ROOT, "median_images_per_s %.1f%n", median(rates));
        }
    }

    private static float[] forward(CellNet net, NDManager manager, ParameterStore parameters, float[] host, int batch,
            int size) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = scope.create(host, new Shape(batch, 3, size, size));
            return net.network().forward(parameters, new NDList(x), false).singletonOrThrow().toFloatArray();
        }
    }

    private static void writeModel(Path file, ModelSpec spec, int size) throws Exception {
        CellNet net = Networks.build(spec);
        try (NDManager manager = NDManager.newBaseManager()) {
            net.network().initialize(manager, DataType.FLOAT32, new Shape(1, 3, size, size));
            ModelInfo info = new ModelInfo(spec, List.of("Parasitized", "Uninfected"), 0, size, ResizeMethod.SQUISH,
                    Normalization.IMAGENET, 0.5, 1.0, Map.of(), Map.of("note", "untrained, for timing only"));
            ModelFile.write(file, net, info);
        }
        System.out.println("wrote untrained " + spec.architecture() + " model (" + size + " px) to " + file);
    }

    static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got " + Arrays.toString(args));
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }
}
