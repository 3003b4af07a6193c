package org.smearscan.inference;

/**
 * matplotlib's viridis: perceptually uniform and readable by the colour-blind, so a brighter patch of a
 * heatmap always means more evidence. The 9 stops are viridis sampled evenly; linear interpolation
 * between them stays within a shade of the full 256-entry table.
 */
public final class ColourMap {
    private static final int[] VIRIDIS = {
        0x440154, 0x472d7b, 0x3b528b, 0x2c728e, 0x21918c, 0x28ae80, 0x5ec962, 0xaddc30, 0xfde725
    };

    private ColourMap() {}

    /** The viridis colour of {@code value} (clamped to [0, 1]) as 0xRRGGBB. */
    public static int viridis(double value) {
        double v = Double.isNaN(value) ? 0 : Math.min(1, Math.max(0, value));
        double position = v * (VIRIDIS.length - 1);
        int below = Math.min((int) Math.floor(position), VIRIDIS.length - 2);
        double t = position - below;
        int a = VIRIDIS[below];
        int b = VIRIDIS[below + 1];
        int r = (int) Math.round(((a >> 16) & 0xff) * (1 - t) + ((b >> 16) & 0xff) * t);
        int g = (int) Math.round(((a >> 8) & 0xff) * (1 - t) + ((b >> 8) & 0xff) * t);
        int bl = (int) Math.round((a & 0xff) * (1 - t) + (b & 0xff) * t);
        return (r << 16) | (g << 8) | bl;
    }
}
