package org.smearscan.inference;

/** The one softmax of the host side: classifier, TTA, calibration and reports all use it. */
public final class Softmax {
    private Softmax() {}

    /** softmax(logits / temperature), computed stably (the largest scaled logit is subtracted first). */
    public static double[] of(float[] logits, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (float z : logits) {
            max = Math.max(max, z / temperature);
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int k = 0; k < logits.length; k++) {
            p[k] = Math.exp(logits[k] / temperature - max);
            sum += p[k];
        }
        for (int k = 0; k < p.length; k++) {
            p[k] /= sum;
        }
        return p;
    }
}
