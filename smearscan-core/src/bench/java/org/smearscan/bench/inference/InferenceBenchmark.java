package org.smearscan.bench.inference;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.smearscan.bench.BenchCommand;
import org.smearscan.data.Normalization;
import org.smearscan.data.ResizeMethod;
import org.smearscan.inference.CellClassifier;
import org.smearscan.model.BatchNormFolding;
import org.smearscan.model.CellNet;
import org.smearscan.model.ModelSpec;
import org.smearscan.model.Networks;
import org.smearscan.modelfile.ModelFile;
import org.smearscan.modelfile.ModelInfo;
import org.smearscan.modelfile.Provenance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Batched CPU inference throughput of one network in DJL, measured the way {@link CellClassifier} runs it:
 * a host float batch copied into the engine, a forward pass in inference mode with gradients off, the
 * logits copied back, one sub-manager per batch. bench/infer-vs-pytorch.sh runs it next to the same
 * network in PyTorch (bench/infer_pytorch.py).
 *
 * <pre>
 * InferenceBenchmark [--arch compact-slim|compact|resnet18|resnet34] [--head fastai|linear] [--size 64] [--batch 64] [--no-fold]
 *                    [--threads N] [--warmup 5] [--iters 20] [--reps 5]
 * InferenceBenchmark --write-model FILE [--arch compact-slim] [--size 64]   (an untrained model file, for timing predict)
 * </pre>
 * Prints one line per repetition and last {@code median_images_per_s X}.
 */
@Command(name = "InferenceBenchmark", sortOptions = false,
        description = "Batched CPU inference throughput of one network in DJL, or (--write-model) an untrained model file.")
public final class InferenceBenchmark extends BenchCommand {
    @Mixin
    private NetworkOptions network;

    @Option(names = "--batch", defaultValue = "64", paramLabel = "N", description = "Batch size (default: ${DEFAULT-VALUE}).")
    private int batch;

    @Option(names = "--no-fold", arity = "0..1", paramLabel = "true|false",
            description = "Time the batch norms as trained instead of folded into the convolutions.")
    private boolean noFold;

    @Option(names = "--threads", paramLabel = "N", description = "Engine threads (default: the engine's).")
    private Integer threads;

    @Option(names = "--warmup", defaultValue = "5", paramLabel = "N",
            description = "Untimed batches first (default: ${DEFAULT-VALUE}).")
    private int warmup;

    @Option(names = "--iters", defaultValue = "20", paramLabel = "N",
            description = "Timed batches per repetition (default: ${DEFAULT-VALUE}).")
    private int iters;

    @Option(names = "--reps", defaultValue = "5", paramLabel = "N", description = "Repetitions (default: ${DEFAULT-VALUE}).")
    private int reps;

    @Option(names = "--write-model", paramLabel = "FILE",
            description = "Only write an untrained model of --arch at --size to FILE (for timing predict or serve).")
    private Path writeModel;

    public static void main(String[] args) {
        BenchCommand.main(new InferenceBenchmark(), args);
    }

    @Override
    protected void run(PrintWriter out) throws Exception {
        ModelSpec spec = network.spec();
        int size = network.size;
        Engine.getEngine("PyTorch").setRandomSeed(0);
        if (writeModel != null) {
            writeModel(out, writeModel, spec, size);
            return;
        }
        if (threads != null) {
            CellClassifier.setEngineThreads(threads);
        }
        CellNet net = Networks.build(spec);
        try (NDManager manager = NDManager.newBaseManager()) {
            net.network().initialize(manager, DataType.FLOAT32, new Shape(batch, 3, size, size));
            if (!noFold) {
                BatchNormFolding.fold(net); // what CellClassifier.load does, so predict's network is timed
            }
            ParameterStore parameters = new ParameterStore(manager, false);
            float[] host = new float[batch * 3 * size * size];
            Random rnd = new Random(1);
            for (int i = 0; i < host.length; i++) {
                host[i] = (float) rnd.nextGaussian();
            }
            JniUtils.setGradMode(false);
            out.printf(Locale.ROOT, "# djl %s, pytorch %s, %s/%s at %d px, batch %d, %d engine threads, %s%n",
                    Engine.getDjlVersion(), Engine.getEngine("PyTorch").getVersion(), spec.architecture(), network.head, size, batch,
                    JniUtils.getNumThreads(), noFold ? "batch norms as trained" : "batch norms folded");
            for (int i = 0; i < warmup; i++) {
                forward(net, manager, parameters, host);
            }
            List<Double> rates = new ArrayList<>();
            for (int r = 0; r < reps; r++) {
                long start = System.nanoTime();
                for (int i = 0; i < iters; i++) {
                    forward(net, manager, parameters, host);
                }
                double rate = (double) iters * batch / ((System.nanoTime() - start) / 1e9);
                rates.add(rate);
                out.printf(Locale.ROOT, "rep %d: %.1f images/s%n", r + 1, rate);
            }
            out.printf(Locale.ROOT, "median_images_per_s %.1f%n", median(rates));
        }
    }

    private float[] forward(CellNet net, NDManager manager, ParameterStore parameters, float[] host) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = scope.create(host, new Shape(batch, 3, network.size, network.size));
            return net.network().forward(parameters, new NDList(x), false).singletonOrThrow().toFloatArray();
        }
    }

    static void writeModel(PrintWriter out, Path file, ModelSpec spec, int size) throws Exception {
        CellNet net = Networks.build(spec);
        try (NDManager manager = NDManager.newBaseManager()) {
            net.network().initialize(manager, DataType.FLOAT32, new Shape(1, 3, size, size));
            ModelInfo info = new ModelInfo(spec, List.of("Parasitized", "Uninfected"), 0, size, ResizeMethod.SQUISH,
                    Normalization.IMAGENET, 0.5, 1.0, Map.of(), Provenance.fromFlatMap(Map.of("note", "untrained, for timing only")));
            ModelFile.write(file, net, info);
        }
        out.println("wrote untrained " + spec.architecture() + " model (" + size + " px) to " + file);
    }

    static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
