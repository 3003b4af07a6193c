package org.smearscan.inference;

/**
 * What differs between runtimes: turning a batch of prepared, normalised images into logits. Everything around
 * it (resizing, normalisation, TTA views, temperature, threshold) is {@link CellClassifier}'s and the same for
 * every engine. Calls come one at a time (the classifier holds a lock).
 */
interface InferenceEngine extends AutoCloseable {

    EngineKind kind();

    /**
     * What one forward pass gives.
     *
     * @param logits   raw logits, row-major (image, class)
     * @param features the body's output averaged over the map, row-major (image, feature); null when not asked
     *                 for, or when the engine cannot give them (an ONNX graph exported before it had the output)
     */
    record Outputs(float[] logits, float[] features) {}

    /**
     * Logits, and features when asked for, of a batch.
     *
     * @param batch    {@code images} normalised NCHW float images of side {@code size}, one after another
     * @param features whether to return the features too (only the out-of-distribution score reads them)
     */
    Outputs outputs(float[] batch, int images, int size, boolean features);

    /** Raw logits only, row-major (image, class). */
    default float[] logits(float[] batch, int images, int size) {
        return outputs(batch, images, size, false).logits();
    }

    /** Grad-CAM maps {@code [image][y][x]}; an engine without gradients refuses. */
    float[][][] heatmaps(float[] batch, int images, int size, int[] targetClasses);

    @Override
    void close();
}
