package org.smearscan.testing;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.smearscan.data.CellDataset;
import org.smearscan.data.CellImage;
import org.smearscan.data.Normalization;
import org.smearscan.data.ResizeMethod;
import org.smearscan.data.Transforms;
import org.smearscan.inference.CellClassifier;
import org.smearscan.inference.OodFit;
import org.smearscan.model.Architecture;
import org.smearscan.model.CellNet;
import org.smearscan.model.HeadType;
import org.smearscan.model.ModelSpec;
import org.smearscan.model.Networks;
import org.smearscan.modelfile.ModelFile;
import org.smearscan.modelfile.ModelInfo;
import org.smearscan.modelfile.OutOfDistribution;
import org.smearscan.modelfile.Provenance;
import org.smearscan.onnx.EmbeddedGraph;

/**
 * Model files for tests: a compact net at 32 px trained for a few steps on synthetic cells with a plain DJL
 * loop, so its predictions mean something (parasitized cells score high) while the build stays fast.
 * Trained once per test JVM and shared.
 */
public final class TestModels {
    public static final int SIZE = 32;
    public static final List<String> CLASSES = List.of("Parasitized", "Uninfected");
    private static final int STEPS = 100;
    private static final int BATCH = 32;

    private static Path trained;

    private TestModels() {}

    public static ModelInfo info() {
        return new ModelInfo(new ModelSpec(Architecture.COMPACT, HeadType.FASTAI, 2), CLASSES, 0, SIZE,
                ResizeMethod.SQUISH, Normalization.IMAGENET, 0.5, 1.0, Map.of("accuracy", 1.0, "precision", Double.NaN),
                Provenance.fromFlatMap(Map.of("split.sha256", "0123abcd", "seed", "7")));
    }

    /** The shared trained model file (do not modify it; copy it first). */
    public static synchronized Path trained() {
        if (trained == null) {
            try {
                Path dir = Files.createTempDirectory("smearscan-test-model");
                dir.toFile().deleteOnExit();
                trained = dir.resolve("trained.smear");
                trained.toFile().deleteOnExit();
                train(trained, info());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return trained;
    }

    private static Path trainedWithOod;

    /**
     * The shared trained model with an out-of-distribution score fitted on generated cells (do not modify it).
     * Generated cells score as cells; noise, text and photographs of anything else lie far from them.
     */
    public static synchronized Path trainedWithOod() {
        if (trainedWithOod == null) {
            try {
                Path dir = Files.createTempDirectory("smearscan-test-model-ood");
                dir.toFile().deleteOnExit();
                Path data = SyntheticCells.writeDataset(dir.resolve("cells"), 60, 17);
                List<CellImage> train = new ArrayList<>();
                List<CellImage> valid = new ArrayList<>();
                List<CellImage> all = CellDataset.scan(data).images();
                for (int i = 0; i < all.size(); i++) {
                    (i % 3 == 0 ? valid : train).add(all.get(i));
                }
                OutOfDistribution ood;
                ModelInfo info;
                try (CellClassifier classifier = CellClassifier.load(trained())) {
                    ood = OodFit.fit(classifier, train, valid, 5);
                    info = classifier.info();
                }
                trainedWithOod = dir.resolve("trained-ood.smear");
                trainedWithOod.toFile().deleteOnExit();
                EmbeddedGraph.rewrite(trained(), trainedWithOod, info.withOod(ood));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return trainedWithOod;
    }

    /** A model with freshly initialised weights, written to {@code file}. */
    public static Path untrained(Path file, ModelInfo info) throws IOException {
        CellNet net = Networks.build(info.spec());
        try (NDManager manager = NDManager.newBaseManager()) {
            net.network().initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32,
                    new Shape(1, 3, info.imageSize(), info.imageSize()));
            ModelFile.write(file, net, info);
        }
        return file;
    }

    /**
     * A model with freshly initialised weights whose batch norms look trained (scales, shifts and running
     * statistics far from 1 and 0), so that folding them is not nearly the identity. Written to {@code file}.
     */
    public static Path untrainedWithBatchNormStatistics(Path file, ModelInfo info, long seed) throws IOException {
        CellNet net = Networks.build(info.spec());
        Random rnd = new Random(seed);
        try (NDManager manager = NDManager.newBaseManager()) {
            net.network().initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32,
                    new Shape(1, 3, info.imageSize(), info.imageSize()));
            for (ai.djl.util.Pair<String, ai.djl.nn.Parameter> p : net.network().getParameters()) {
                String name = p.getKey();
                NDArray a = p.getValue().getArray();
                float[] values = new float[(int) a.size()];
                for (int i = 0; i < values.length; i++) {
                    if (name.endsWith("runningVar")) {
                        values[i] = 0.2f + 2 * rnd.nextFloat();
                    } else if (name.endsWith("gamma")) {
                        values[i] = 0.5f + rnd.nextFloat();
                    } else {
                        values[i] = (float) rnd.nextGaussian() * 0.5f; // beta, runningMean
                    }
                }
                if (name.endsWith("runningVar") || name.endsWith("gamma") || name.endsWith("beta")
                        || name.endsWith("runningMean")) {
                    a.set(values);
                }
            }
            ModelFile.write(file, net, info);
        }
        return file;
    }

    /** Writes the trained network again with a different description (threshold, temperature...). */
    public static Path rewrite(Path file, ModelInfo info) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelFile.Loaded loaded = ModelFile.read(trained(), manager);
            ModelFile.write(file, loaded.net(), info);
        }
        return file;
    }

    public static void train(Path file, ModelInfo info) throws IOException {
        // One engine thread: on a busy machine two spinning OpenMP threads make these small steps 10x slower.
        ai.djl.engine.Engine.getEngine("PyTorch"); // loads the natives JniUtils calls into
        int threads = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
        try {
            trainSteps(file, info);
        } finally {
            JniUtils.setNumThreads(threads);
        }
    }

    private static void trainSteps(Path file, ModelInfo info) throws IOException {
        // Initial weights and dropout come from the engine's generator: seed it, or the model's quality
        // varies from run to run and tests that need a sensible model become flaky.
        ai.djl.engine.Engine.getEngine("PyTorch").setRandomSeed(42);
        Random rnd = new Random(42);
        CellNet net = Networks.build(info.spec());
        try (Model model = Model.newInstance("test-cells")) {
            model.setBlock(net.network());
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(2e-3f)).build());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(BATCH, 3, SIZE, SIZE));
                for (int step = 0; step < STEPS; step++) {
                    float[] pixels = new float[BATCH * 3 * SIZE * SIZE];
                    float[] labels = new float[BATCH];
                    for (int i = 0; i < BATCH; i++) {
                        boolean parasitized = rnd.nextBoolean();
                        BufferedImage cell = SyntheticCells.cell(rnd, parasitized, 40 + rnd.nextInt(30), 40 + rnd.nextInt(30));
                        byte[] hwc = Transforms.resizeToRgb(cell, SIZE, info.resize());
                        Transforms.toNormalisedChw(hwc, SIZE, rnd.nextInt(8), info.normalization(), pixels,
                                i * 3 * SIZE * SIZE);
                        labels[i] = parasitized ? 0 : 1;
                    }
                    try (NDManager batch = trainer.getManager().newSubManager()) {
                        NDArray x = batch.create(pixels, new Shape(BATCH, 3, SIZE, SIZE));
                        NDArray y = batch.create(labels);
                        try (GradientCollector collector = trainer.newGradientCollector()) {
                            NDArray logits = trainer.forward(new NDList(x)).singletonOrThrow();
                            NDArray loss = trainer.getLoss().evaluate(new NDList(y), new NDList(logits));
                            collector.backward(loss);
                        }
                        trainer.step();
                    }
                }
            }
            ModelFile.write(file, net, info);
        }
    }

    /** Synthetic cells with known labels, for checking a model's calls. */
    public static List<BufferedImage> cells(long seed, int count, boolean parasitized) {
        Random rnd = new Random(seed);
        List<BufferedImage> images = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            images.add(SyntheticCells.cell(rnd, parasitized, 90 + rnd.nextInt(50), 90 + rnd.nextInt(50)));
        }
        return images;
    }
}
