package org.smearscan.data;

/**
 * A few numbers that say what kind of picture an image is, computed from its prepared pixels (the model's input
 * square, HWC RGB bytes): the mean and spread of each colour, the mean colour of the border ring (the outer
 * eighth on each side), and the share of near-black pixels overall and in that ring. Cell crops made as the NIH
 * ones were (a segmented cell on black) have a black ring; a patch of background, a field photograph, text or a
 * photograph of anything else does not, whatever a network's features make of it.
 */
public final class PixelStatistics {
    /** The number of values {@link #describe} returns. */
    public static final int DIMENSIONS = 11;
    /** A pixel whose brightest channel is below this counts as black. */
    private static final int BLACK = 24;

    private PixelStatistics() {}

    public static float[] describe(byte[] rgb, int size) {
        if (rgb.length != 3 * size * size) {
            throw new IllegalArgumentException(rgb.length + " bytes for a " + size + "x" + size + " RGB image");
        }
        int ring = Math.max(1, size / 8);
        double[] sum = new double[3];
        double[] squares = new double[3];
        double[] ringSum = new double[3];
        int ringCount = 0;
        int black = 0;
        int ringBlack = 0;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int i = 3 * (y * size + x);
                boolean inRing = x < ring || y < ring || x >= size - ring || y >= size - ring;
                int max = 0;
                for (int c = 0; c < 3; c++) {
                    int v = rgb[i + c] & 0xFF;
                    sum[c] += v;
                    squares[c] += (double) v * v;
                    if (inRing) {
                        ringSum[c] += v;
                    }
                    max = Math.max(max, v);
                }
                boolean isBlack = max < BLACK;
                black += isBlack ? 1 : 0;
                if (inRing) {
                    ringCount++;
                    ringBlack += isBlack ? 1 : 0;
                }
            }
        }
        int n = size * size;
        float[] out = new float[DIMENSIONS];
        for (int c = 0; c < 3; c++) {
            double mean = sum[c] / n;
            out[c] = (float) (mean / 255);
            out[3 + c] = (float) (Math.sqrt(Math.max(0, squares[c] / n - mean * mean)) / 255);
            out[6 + c] = (float) (ringSum[c] / ringCount / 255);
        }
        out[9] = (float) black / n;
        out[10] = (float) ringBlack / ringCount;
        return out;
    }
}
