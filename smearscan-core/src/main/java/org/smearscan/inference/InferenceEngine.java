package org.smearscan.inference;

/**
 * What differs between runtimes: turning a batch of prepared, normalised images into logits. Everything around
 * it (resizing, normalisation, TTA views, temperature, threshold) is {@link CellClassifier}'s and the same for
 * every engine. Calls come one at a time (the classifier holds a lock).
 */
interface InferenceEngine extends AutoCloseable {

    EngineKind kind();

    /**
     * Raw logits, row-major (image, class).
     *
     * @param batch  {@code images} normalised NCHW float images of side {@code size}, one after another
     */
    float[] logits(float[] batch, int images, int size);

    /** Grad-CAM maps {@code [image][y][x]}; an engine without gradients refuses. */
    float[][][] heatmaps(float[] batch, int images, int size, int[] targetClasses);

    @Override
    void close();
}
