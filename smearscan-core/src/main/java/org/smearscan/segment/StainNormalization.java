package org.smearscan.segment;

import java.awt.image.BufferedImage;

/**
 * Per-field colour normalisation of the cells (Reinhard et al.'s colour transfer, per RGB channel): the red cells
 * of a field are mapped so that their pixels have one fixed mean and spread in each channel, whatever the slide's
 * stain, the lamp and the camera's white balance.
 *
 * <p>Why: the IML-Malaria fields come from slides stained from pale mauve to deep magenta (the mean green of the
 * cells ranges from about 40 to 170 between fields), and a classifier trained on some slides calls the colour
 * of another slide's cells, not their parasites. Within one field the parasite stays darker and more purple than
 * the cell around it, which is what the normalisation keeps.
 *
 * @param mean   per-channel mean (R, G, B) of the field's foreground pixels
 * @param spread per-channel standard deviation, at least 1
 */
public record StainNormalization(double[] mean, double[] spread) {
    /** What every field's cells are mapped to: a mid mauve with a moderate spread. */
    static final double[] TARGET_MEAN = {150, 125, 150};
    static final double TARGET_SPREAD = 30;

    /** The statistics of the field's foreground (cells and whatever else is darker than the background). */
    public static StainNormalization of(BufferedImage field, byte[] foreground) {
        int w = field.getWidth();
        double[] sum = new double[3];
        double[] sq = new double[3];
        long n = 0;
        int[] row = new int[w];
        for (int y = 0; y < field.getHeight(); y++) {
            field.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                if (foreground[y * w + x] == 0) {
                    continue;
                }
                n++;
                for (int c = 0; c < 3; c++) {
                    double v = (row[x] >> (16 - 8 * c)) & 0xff;
                    sum[c] += v;
                    sq[c] += v * v;
                }
            }
        }
        double[] mean = new double[3];
        double[] spread = new double[3];
        for (int c = 0; c < 3; c++) {
            mean[c] = n == 0 ? TARGET_MEAN[c] : sum[c] / n;
            spread[c] = n == 0 ? TARGET_SPREAD : Math.max(1, Math.sqrt(Math.max(0, sq[c] / n - mean[c] * mean[c])));
        }
        return new StainNormalization(mean, spread);
    }

    /** One RGB pixel mapped to the target colours (black, outside a cell's mask, is left to the caller). */
    public int apply(int rgb) {
        int out = 0;
        for (int c = 0; c < 3; c++) {
            double v = (rgb >> (16 - 8 * c)) & 0xff;
            double mapped = (v - mean[c]) / spread[c] * TARGET_SPREAD + TARGET_MEAN[c];
            out |= (int) Math.max(1, Math.min(255, Math.round(mapped))) << (16 - 8 * c);
        }
        return out;
    }
}
