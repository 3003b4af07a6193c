package org.smearscan.inference;

import org.smearscan.data.Normalization;
import org.smearscan.data.Transforms;

/**
 * Test-time augmentation over the 8 dihedral views (every flip and quarter turn). A cell has no up or
 * down, so each view is an equally valid picture of it; averaging their probabilities smooths out the
 * network's orientation quirks.
 */
public final class Tta {
    /** The views of {@link Transforms#dihedralSource}; view 0 is the image as it is. */
    public static final int VIEWS = 8;

    private Tta() {}

    /** Writes all 8 views of one HWC image, one after another, as normalised CHW floats from {@code offset}. */
    public static void writeViews(byte[] hwc, int size, Normalization normalization, float[] dest, int offset) {
        int imageFloats = 3 * size * size;
        for (int view = 0; view < VIEWS; view++) {
            Transforms.toNormalisedChw(hwc, size, view, normalization, dest, offset + view * imageFloats);
        }
    }

    /** The mean over views of softmax(logits / temperature): {@code viewLogits[view][class]} to per-class probabilities. */
    public static double[] meanProbabilities(float[][] viewLogits, double temperature) {
        if (viewLogits.length == 0) {
            throw new IllegalArgumentException("no views to average");
        }
        double[] mean = new double[viewLogits[0].length];
        for (float[] logits : viewLogits) {
            double[] p = Softmax.of(logits, temperature);
            for (int k = 0; k < mean.length; k++) {
                mean[k] += p[k] / viewLogits.length;
            }
        }
        return mean;
    }
}
