package org.smearscan.inference;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;
import org.smearscan.data.PixelStatistics;
import org.smearscan.data.Transforms;
import org.smearscan.data.UnreadableImageException;
import org.smearscan.model.BatchNormFolding;
import org.smearscan.modelfile.InvalidModelFileException;
import org.smearscan.modelfile.ModelFile;
import org.smearscan.modelfile.ModelInfo;

/**
 * Classifies cell images with a model file. Thread-safe: the network is shared and one forward pass runs
 * at a time (the engine already uses every core for one pass, so a lock loses nothing and bounds memory).
 * The network runs on PyTorch or, loaded with {@link EngineKind#ONNXRUNTIME}, on ONNX Runtime; preparation,
 * TTA, temperature and threshold are the same for both.
 *
 * <pre>{@code
 * try (CellClassifier classifier = CellClassifier.load(Path.of("model.smear"))) {
 *     Prediction p = classifier.predict(ImageIO.read(new File("cell.png")));
 *     System.out.println(p.label() + " " + p.probability());
 * }
 * }</pre>
 */
public final class CellClassifier implements AutoCloseable {
    /** Images per forward pass when a caller hands over more; bounds the memory of one pass. */
    public static final int DEFAULT_BATCH = 64;
    /** The 8 dihedral views (every flip and quarter turn) that test-time augmentation averages. */
    public static final int TTA_VIEWS = Tta.VIEWS;

    private final InferenceEngine engine;
    private final ModelInfo info;
    private final String sha256;
    private final ReentrantLock engineLock = new ReentrantLock();
    private volatile boolean closed;
    /** ONNX Runtime's intra-op threads for sessions opened from now on; 0 = its default. */
    private static volatile int onnxRuntimeThreads;

    private CellClassifier(InferenceEngine engine, ModelInfo info, String sha256) {
        this.engine = engine;
        this.info = info;
        this.sha256 = sha256;
    }

    /** Loads and verifies a model file for the PyTorch engine; fails with an {@link InvalidModelFileException} naming it. */
    public static CellClassifier load(Path modelFile) throws IOException {
        return load(modelFile, EngineKind.PYTORCH);
    }

    /**
     * Loads a model for an engine. PyTorch reads .smear files; ONNX Runtime reads an ONNX file that
     * {@code smearscan export --format onnx} wrote, or a .smear file: the ONNX graph stored in it (verified with
     * the rest of the file), or, for a file without one, its network exported to ONNX in memory.
     * Either way the classifier prepares images, averages TTA views and applies temperature and threshold the
     * same way, and its model id is the .smear file's. A file that cannot be used is an
     * {@link InvalidModelFileException} naming it.
     */
    public static CellClassifier load(Path modelFile, EngineKind kind) throws IOException {
        if (kind == EngineKind.ONNXRUNTIME) {
            OnnxRuntimeEngine.Opened opened = OnnxRuntimeEngine.open(modelFile, onnxRuntimeThreads);
            return new CellClassifier(opened.engine(), opened.info(), opened.sha256());
        }
        if (Files.isRegularFile(modelFile) && !OnnxRuntimeEngine.isSmearFile(modelFile)
                && modelFile.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".onnx")) {
            throw new InvalidModelFileException(modelFile, "is an ONNX model, which the PyTorch engine does not run:"
                    + " use --engine onnxruntime (or the .smear file it was exported from)");
        }
        NDManager manager = NDManager.newBaseManager();
        try {
            ModelFile.Loaded loaded = ModelFile.read(modelFile, manager);
            BatchNormFolding.fold(loaded.net()); // this classifier owns the network and never trains it
            return new CellClassifier(new PyTorchEngine(manager, loaded.net(), true), loaded.info(), loaded.sha256());
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * A classifier over a model the caller already loaded into {@code manager} (for example to run Grad-CAM on
     * the same network), on the PyTorch engine. The caller keeps owning the manager: closing the classifier
     * leaves it open.
     */
    public static CellClassifier of(ModelFile.Loaded loaded, NDManager manager) {
        return new CellClassifier(new PyTorchEngine(manager, loaded.net(), false), loaded.info(), loaded.sha256());
    }

    /**
     * Sets how many threads the engine uses for one forward pass: PyTorch's intra-op pool (process-wide, at
     * once) and ONNX Runtime's for classifiers loaded afterwards. On a machine that also decodes images, fewer
     * engine threads than cores avoids oversubscription.
     */
    public static void setEngineThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("engine threads must be at least 1, got " + threads);
        }
        Engine.getEngine("PyTorch"); // loads the native library before JniUtils calls into it
        JniUtils.setNumThreads(threads);
        onnxRuntimeThreads = threads;
    }

    /** The runtime this classifier runs its network on. */
    public EngineKind engine() {
        return engine.kind();
    }

    public ModelInfo info() {
        return info;
    }

    /** Short content hash of the model file (see {@link ModelFile#idOf}). */
    public String modelId() {
        return ModelFile.idOf(sha256);
    }

    public String sha256() {
        return sha256;
    }

    public Prediction predict(BufferedImage image) {
        return predict(image, false);
    }

    public Prediction predict(BufferedImage image, boolean tta) {
        return predictAll(List.of(image), tta).get(0);
    }

    /** Classifies images in batches of {@value #DEFAULT_BATCH}; results are in the order of the input. */
    public List<Prediction> predictAll(List<BufferedImage> images) {
        return predictAll(images, false);
    }

    public List<Prediction> predictAll(List<BufferedImage> images, boolean tta) {
        List<byte[]> prepared = new ArrayList<>(images.size());
        for (BufferedImage image : images) {
            prepared.add(prepare(image));
        }
        return predictPrepared(prepared, tta);
    }

    /**
     * Classifies image files in batches of {@value #DEFAULT_BATCH}, decoding in parallel with inference. A file
     * that cannot be read or decoded is reported in its {@link FileResult}; the others are still classified.
     */
    public List<FileResult> predictFiles(List<Path> files, boolean tta) {
        List<FileResult> results = new ArrayList<>(files.size());
        ScreeningPipeline.run(this, files, ScreeningPipeline.Options.defaults().withTta(tta), results::add);
        return results;
    }

    /**
     * The image as the network sees it before normalisation: resized to the model's input square by its
     * resize method, HWC RGB bytes. Thread-safe and engine-free, so callers can prepare in parallel.
     */
    public byte[] prepare(BufferedImage image) {
        return Transforms.resizeToRgb(image, info.imageSize(), info.resize());
    }

    /** Classifies images already {@link #prepare prepared}, in batches of {@value #DEFAULT_BATCH}. */
    public List<Prediction> predictPrepared(List<byte[]> prepared, boolean tta) {
        return predictPrepared(prepared, tta, DEFAULT_BATCH);
    }

    /**
     * Classifies images already {@link #prepare prepared}, at most {@code maxBatch} per forward pass. When the
     * model has an out-of-distribution score, each prediction carries it, read from the image's plain view.
     */
    public List<Prediction> predictPrepared(List<byte[]> prepared, boolean tta, int maxBatch) {
        requireBatch(maxBatch);
        int views = tta ? TTA_VIEWS : 1;
        List<Prediction> out = new ArrayList<>(prepared.size());
        for (int start = 0; start < prepared.size(); start += maxBatch) {
            List<byte[]> chunk = prepared.subList(start, Math.min(prepared.size(), start + maxBatch));
            Scored scored = score(chunk, views, info.ood() != null);
            for (int i = 0; i < chunk.size(); i++) {
                double[] p = Tta.meanProbabilities(scored.logits()[i], info.temperature()); // one view without TTA
                out.add(Prediction.decide(p, info, modelId(), tta, oodScore(scored, i, chunk.get(i))));
            }
        }
        return out;
    }

    /**
     * Raw logits (no temperature) of prepared images, {@code [image][view][class]}: one view without
     * {@code tta}, else the 8 dihedral views, view 0 being the image as it is. At most {@code maxBatch} images
     * per forward pass, each pass in its own sub-manager.
     */
    public float[][][] logits(List<byte[]> prepared, boolean tta, int maxBatch) {
        return scores(prepared, tta, maxBatch).logits();
    }

    /**
     * What the network says of prepared images: raw logits as {@link #logits} gives them, and each image's
     * out-of-distribution score (NaN for a model without one).
     */
    public record Scores(float[][][] logits, double[] oodScores) {}

    /** Logits and out-of-distribution scores of prepared images, at most {@code maxBatch} per forward pass. */
    public Scores scores(List<byte[]> prepared, boolean tta, int maxBatch) {
        requireBatch(maxBatch);
        int views = tta ? TTA_VIEWS : 1;
        float[][][] logits = new float[prepared.size()][][];
        double[] ood = new double[prepared.size()];
        for (int start = 0; start < prepared.size(); start += maxBatch) {
            List<byte[]> chunk = prepared.subList(start, Math.min(prepared.size(), start + maxBatch));
            Scored scored = score(chunk, views, info.ood() != null);
            System.arraycopy(scored.logits(), 0, logits, start, chunk.size());
            for (int i = 0; i < chunk.size(); i++) {
                ood[start + i] = oodScore(scored, i, chunk.get(i));
            }
        }
        return new Scores(logits, ood);
    }

    /** The out-of-distribution score of image {@code i} of a scored chunk; NaN for a model without one. */
    private double oodScore(Scored scored, int i, byte[] prepared) {
        return info.ood() == null ? Double.NaN : info.ood().score(
                scored.features() == null ? null : scored.features()[i],
                PixelStatistics.describe(prepared, info.imageSize()));
    }

    /**
     * The features the out-of-distribution score reads: the body's output averaged over the map,
     * {@code [image][feature]}, of the images as they are. Refused by an engine that cannot give them (an ONNX
     * file exported before they were an output).
     */
    public float[][] features(List<byte[]> prepared, int maxBatch) {
        requireBatch(maxBatch);
        float[][] out = new float[prepared.size()][];
        for (int start = 0; start < prepared.size(); start += maxBatch) {
            List<byte[]> chunk = prepared.subList(start, Math.min(prepared.size(), start + maxBatch));
            float[][] features = score(chunk, 1, true).features();
            if (features == null) {
                throw new UnsupportedOperationException("this model's " + engine.kind().cliName() + " graph has no"
                        + " features output; export the model again, or use the PyTorch engine");
            }
            System.arraycopy(features, 0, out, start, features.length);
        }
        return out;
    }

    private static void requireBatch(int maxBatch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + maxBatch);
        }
    }

    /** Logits of every view, {@code [image][view][class]}, and the plain view's features (or null). */
    private record Scored(float[][][] logits, float[][] features) {}

    /** One forward pass over {@code chunk}, each image in {@code views} dihedral views; features if asked for. */
    private Scored score(List<byte[]> chunk, int views, boolean withFeatures) {
        InferenceEngine.Outputs o = forward(chunk, views, withFeatures);
        int rows = chunk.size() * views;
        int classes = o.logits().length / rows;
        float[][][] logits = new float[chunk.size()][views][];
        for (int i = 0; i < chunk.size(); i++) {
            for (int v = 0; v < views; v++) {
                int row = i * views + v;
                logits[i][v] = Arrays.copyOfRange(o.logits(), row * classes, (row + 1) * classes);
            }
        }
        float[][] features = null;
        if (o.features() != null) {
            int dim = o.features().length / rows;
            features = new float[chunk.size()][];
            for (int i = 0; i < chunk.size(); i++) {
                int row = i * views; // view 0, the image as it is
                features[i] = Arrays.copyOfRange(o.features(), row * dim, (row + 1) * dim);
            }
        }
        return new Scored(logits, features);
    }

    /**
     * Raw logits of image files as {@link #logits(List, boolean, int)} gives them, decoding in parallel with
     * inference. Unlike {@link #predictFiles}, the first unreadable file stops it, named in the exception.
     *
     * @param progress receives the number of images each finished batch held
     */
    public float[][][] logitsOfFiles(List<Path> files, boolean tta, int maxBatch, IntConsumer progress)
            throws UnreadableImageException {
        return scoresOfFiles(files, tta, maxBatch, progress).logits();
    }

    /** As {@link #logitsOfFiles}, with each image's out-of-distribution score. */
    public Scores scoresOfFiles(List<Path> files, boolean tta, int maxBatch, IntConsumer progress)
            throws UnreadableImageException {
        return ScreeningPipeline.scores(this, files,
                ScreeningPipeline.Options.defaults().withTta(tta).withBatchSize(maxBatch), progress);
    }

    /** Normalised NCHW floats of prepared images, each in {@code views} dihedral views, image-major. */
    float[] toBatch(List<byte[]> prepared, int views) {
        int size = info.imageSize();
        int imageFloats = 3 * size * size;
        float[] batch = new float[prepared.size() * views * imageFloats];
        for (int i = 0; i < prepared.size(); i++) {
            if (views == TTA_VIEWS) {
                Tta.writeViews(prepared.get(i), size, info.normalization(), batch, i * views * imageFloats);
            } else {
                Transforms.toNormalisedChw(prepared.get(i), size, 0, info.normalization(), batch, i * imageFloats);
            }
        }
        return batch;
    }

    /**
     * Raw logits, row-major (image, class), of images already normalised: {@code images} NCHW float images of
     * the model's input size, one after another, straight to the engine (no resizing, normalisation or TTA).
     * For callers that build the input tensor themselves, such as the latency benchmark, which times the
     * engine's forward pass the way {@link #predict} runs it.
     */
    public float[] logitsOfNormalised(float[] batch, int images) {
        int size = info.imageSize();
        if (images < 1 || batch.length < (long) images * 3 * size * size) {
            throw new IllegalArgumentException(images + " images of 3x" + size + "x" + size + " need "
                    + (long) images * 3 * size * size + " floats, got " + batch.length);
        }
        engineLock.lock();
        try {
            ensureOpen();
            return engine.logits(batch, images, size);
        } finally {
            engineLock.unlock();
        }
    }

    /** Logits and features, row-major. One copy of the whole batch into the engine. */
    private InferenceEngine.Outputs forward(List<byte[]> prepared, int views, boolean features) {
        float[] batch = toBatch(prepared, views);
        engineLock.lock();
        try {
            ensureOpen();
            return engine.outputs(batch, prepared.size() * views, info.imageSize(), features);
        } finally {
            engineLock.unlock();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the classifier for model " + modelId() + " is closed");
        }
    }

    /**
     * Grad-CAM maps of prepared images, {@code [image][y][x]} in [0, 1] over the network's input square
     * (see {@link HeatmapOverlay} to lay one over the original image).
     *
     * @param targetClasses the class each map explains, usually the predicted {@link Prediction#labelIndex}
     * @throws UnsupportedOperationException on ONNX Runtime, which computes no gradients
     */
    public float[][][] heatmaps(List<byte[]> prepared, int[] targetClasses) {
        if (prepared.size() != targetClasses.length) {
            throw new IllegalArgumentException(prepared.size() + " images but " + targetClasses.length + " target classes");
        }
        float[] batch = toBatch(prepared, 1);
        engineLock.lock();
        try {
            ensureOpen();
            return engine.heatmaps(batch, prepared.size(), info.imageSize(), targetClasses);
        } finally {
            engineLock.unlock();
        }
    }

    @Override
    public void close() {
        engineLock.lock();
        try {
            if (!closed) {
                closed = true;
                engine.close();
            }
        } finally {
            engineLock.unlock();
        }
    }
}
