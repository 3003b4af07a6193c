package org.smearscan.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * Deterministic image preparation shared by training, evaluation and deployment, so a model sees the
 * same pixels in every stage. Pixels travel as interleaved RGB bytes, {@code size*size*3}, row-major (HWC).
 */
public final class Transforms {
    private Transforms() {}

    /** Resizes an RGB image to a {@code size} square by the given method, as HWC bytes. */
    public static byte[] resizeToRgb(BufferedImage image, int size, ResizeMethod method) {
        int w = image.getWidth();
        int h = image.getHeight();
        BufferedImage out = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            switch (method) {
                case SQUISH -> g.drawImage(image, 0, 0, size, size, null);
                case CROP -> {
                    double scale = (double) size / Math.min(w, h);
                    int sw = (int) Math.round(w * scale);
                    int sh = (int) Math.round(h * scale);
                    g.drawImage(image, (size - sw) / 2, (size - sh) / 2, sw, sh, null);
                }
                case PAD -> {
                    double scale = (double) size / Math.max(w, h);
                    int sw = Math.max(1, (int) Math.round(w * scale));
                    int sh = Math.max(1, (int) Math.round(h * scale));
                    g.drawImage(image, (size - sw) / 2, (size - sh) / 2, sw, sh, null);
                }
                default -> throw new IllegalStateException("unhandled resize method " + method);
            }
        } finally {
            g.dispose();
        }
        int[] argb = out.getRGB(0, 0, size, size, null, 0, size);
        byte[] rgb = new byte[size * size * 3];
        for (int i = 0; i < argb.length; i++) {
            rgb[3 * i] = (byte) (argb[i] >> 16);
            rgb[3 * i + 1] = (byte) (argb[i] >> 8);
            rgb[3 * i + 2] = (byte) argb[i];
        }
        return rgb;
    }

    /**
     * Writes one HWC byte image, seen in dihedral view {@code view} (0..7, see {@link #dihedralSource}),
     * into {@code dest} at {@code offset} as normalised CHW floats.
     */
    public static void toNormalisedChw(byte[] hwc, int size, int view, Normalization norm, float[] dest, int offset) {
        float[] scale = new float[3];
        float[] shift = new float[3];
        float[] mean = norm.mean();
        float[] std = norm.std();
        for (int c = 0; c < 3; c++) {
            scale[c] = 1f / (255f * std[c]);
            shift[c] = -mean[c] / std[c];
        }
        int plane = size * size;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int src = 3 * dihedralSource(view, x, y, size);
                int dst = offset + y * size + x;
                dest[dst] = (hwc[src] & 0xff) * scale[0] + shift[0];
                dest[dst + plane] = (hwc[src + 1] & 0xff) * scale[1] + shift[1];
                dest[dst + 2 * plane] = (hwc[src + 2] & 0xff) * scale[2] + shift[2];
            }
        }
    }

    /**
     * The pixel index (y*size + x in the source) that lands at output (x, y) in dihedral view {@code view}:
     * bit 2 transposes, bit 1 flips vertically, bit 0 flips horizontally. The 8 views are every flip and
     * quarter turn; a cell has no up or down, so all are valid training views and TTA views.
     */
    public static int dihedralSource(int view, int x, int y, int size) {
        int sx = x;
        int sy = y;
        if ((view & 4) != 0) {
            int t = sx;
            sx = sy;
            sy = t;
        }
        if ((view & 2) != 0) {
            sy = size - 1 - sy;
        }
        if ((view & 1) != 0) {
            sx = size - 1 - sx;
        }
        return sy * size + sx;
    }
}
