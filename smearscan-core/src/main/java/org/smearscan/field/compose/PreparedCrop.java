package org.smearscan.field.compose;

import java.awt.image.BufferedImage;
import org.smearscan.segment.Box;

/**
 * A crop read into arrays once per field: its trimmed cell, premultiplied colour and median colour.
 *
 * @param planes coverage, then red, green and blue times coverage, each {@code w × h}
 * @param bounds the bounding box of the trimmed cell
 * @param median the median red, green and blue of the trimmed cell
 */
record PreparedCrop(int w, int h, float[][] planes, Box bounds, double[] median) {
    /** Pixels trimmed off the edge of a crop's mask before it is pasted (see {@link #trimmed}). */
    private static final int RIM = 3;

    static PreparedCrop of(CellCrop crop) {
        BufferedImage image = crop.image();
        int cw = image.getWidth();
        int ch = image.getHeight();
        boolean[] inner = trimmed(crop.mask(), cw, ch);
        int area = 0;
        int bx0 = cw;
        int by0 = ch;
        int bx1 = -1;
        int by1 = -1;
        int[] rgb = image.getRGB(0, 0, cw, ch, null, 0, cw);
        // coverage, then red, green and blue times coverage
        float[][] planes = new float[4][cw * ch];
        int[][] hist = new int[3][256];
        for (int i = 0; i < rgb.length; i++) {
            if (inner[i]) {
                int p = rgb[i];
                planes[0][i] = 1;
                planes[1][i] = (p >> 16) & 0xff;
                planes[2][i] = (p >> 8) & 0xff;
                planes[3][i] = p & 0xff;
                hist[0][(p >> 16) & 0xff]++;
                hist[1][(p >> 8) & 0xff]++;
                hist[2][p & 0xff]++;
                area++;
                bx0 = Math.min(bx0, i % cw);
                bx1 = Math.max(bx1, i % cw);
                by0 = Math.min(by0, i / cw);
                by1 = Math.max(by1, i / cw);
            }
        }
        Box b = new Box(bx0, by0, bx1 - bx0 + 1, by1 - by0 + 1);
        double[] median = {median(hist[0], area), median(hist[1], area), median(hist[2], area)};
        return new PreparedCrop(cw, ch, planes, b, median);
    }

    /**
     * The crop's mask without its outer RIM pixels: the edge of an NIH crop holds some of the
     * slide's background, lighter and greener than the cell, which would ring the cell in a pale halo. The
     * whole mask when too little would be left.
     */
    private static boolean[] trimmed(CellMask mask, int w, int h) {
        boolean[] in = new boolean[w * h];
        for (int i = 0; i < in.length; i++) {
            in[i] = mask.at(i);
        }
        boolean[] rows = new boolean[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean all = true;
                for (int dx = -RIM; dx <= RIM && all; dx++) {
                    all = x + dx >= 0 && x + dx < w && in[y * w + x + dx];
                }
                rows[y * w + x] = all;
            }
        }
        boolean[] out = new boolean[w * h];
        int n = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean all = true;
                for (int dy = -RIM; dy <= RIM && all; dy++) {
                    all = y + dy >= 0 && y + dy < h && rows[(y + dy) * w + x];
                }
                out[y * w + x] = all;
                n += all ? 1 : 0;
            }
        }
        return n >= 0.5 * mask.area() ? out : in;
    }

    private static double median(int[] hist, int n) {
        int half = (n + 1) / 2;
        int seen = 0;
        for (int v = 0; v < 256; v++) {
            seen += hist[v];
            if (seen >= half) {
                return v;
            }
        }
        return 255;
    }
}
