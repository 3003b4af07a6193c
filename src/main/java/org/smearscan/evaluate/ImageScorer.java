package org.smearscan.evaluate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import me.tongfei.progressbar.ProgressBar;
import org.smearscan.data.ImageDecoding;
import org.smearscan.data.Transforms;
import org.smearscan.data.UnreadableImageException;
import org.smearscan.deploy.ModelInfo;
import org.smearscan.model.CellNet;

/**
 * Runs a model over image files in batches and keeps the logits. Images are prepared exactly as the
 * model file says (size, resize method, normalisation) with the shared {@link Transforms}.
 * Each batch lives in its own NDManager, closed after it: results attach to their input's manager, and
 * letting them pile up in one manager slows inference several-fold.
 */
public final class ImageScorer {
    /** Network inputs per forward pass (with TTA, 8 of them are one image). */
    public static final int DEFAULT_BATCH = 64;

    private final CellNet net;
    private final ModelInfo info;
    private final NDManager manager;
    private final int batchSize;
    private final boolean showProgress;

    /** {@code manager} is the one the network's parameters live in (it fixes the device). */
    public ImageScorer(CellNet net, ModelInfo info, NDManager manager, int batchSize, boolean showProgress) {
        if (batchSize < Tta.VIEWS) {
            throw new IllegalArgumentException("batch size must be at least " + Tta.VIEWS + ", got " + batchSize);
        }
        this.net = net;
        this.info = info;
        this.manager = manager;
        this.batchSize = batchSize;
        this.showProgress = showProgress;
    }

    public ImageScorer(CellNet net, ModelInfo info, NDManager manager) {
        this(net, info, manager, DEFAULT_BATCH, true);
    }

    /** The pixels the network sees for a decoded image: {@code imageSize} square RGB bytes, HWC. */
    public byte[] prepare(BufferedImage image) {
        return Transforms.resizeToRgb(image, info.imageSize(), info.resize());
    }

    /** Scores files; with {@code tta}, each image in all 8 views. The first unreadable file stops it, named. */
    public ModelScores score(List<Path> files, boolean tta) throws UnreadableImageException {
        int views = tta ? Tta.VIEWS : 1;
        int imagesPerBatch = Math.max(1, batchSize / views);
        int size = info.imageSize();
        int imageFloats = 3 * size * size;
        float[][] logits = new float[files.size()][];
        float[][][] viewLogits = tta ? new float[files.size()][views][] : null;
        try (ProgressBar progress = showProgress ? Progress.bar("Scoring", files.size()) : null) {
            for (int start = 0; start < files.size(); start += imagesPerBatch) {
                int count = Math.min(imagesPerBatch, files.size() - start);
                float[] pixels = new float[count * views * imageFloats];
                for (int i = 0; i < count; i++) {
                    byte[] hwc = prepare(ImageDecoding.read(files.get(start + i)));
                    if (tta) {
                        Tta.writeViews(hwc, size, info.normalization(), pixels, i * views * imageFloats);
                    } else {
                        Transforms.toNormalisedChw(hwc, size, 0, info.normalization(), pixels, i * imageFloats);
                    }
                }
                float[] out = forward(pixels, count * views);
                int classes = out.length / (count * views);
                for (int i = 0; i < count; i++) {
                    for (int v = 0; v < views; v++) {
                        int row = i * views + v;
                        float[] rowLogits = java.util.Arrays.copyOfRange(out, row * classes, (row + 1) * classes);
                        if (tta) {
                            viewLogits[start + i][v] = rowLogits;
                        }
                        if (v == 0) {
                            logits[start + i] = rowLogits;
                        }
                    }
                }
                if (progress != null) {
                    progress.stepBy(count);
                }
            }
        }
        return new ModelScores(logits, viewLogits);
    }

    /** Logits for {@code rows} normalised CHW images, flattened row-major. */
    public float[] forward(float[] pixels, int rows) {
        int size = info.imageSize();
        try (NDManager batch = manager.newSubManager()) {
            NDArray x = batch.create(pixels, new Shape(rows, 3, size, size));
            NDArray y = net.network().forward(new ParameterStore(batch, false), new NDList(x), false).singletonOrThrow();
            return y.toFloatArray();
        }
    }
}
