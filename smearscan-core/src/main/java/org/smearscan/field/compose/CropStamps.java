package org.smearscan.field.compose;

import static org.smearscan.field.compose.Clamp.clamp;
import static org.smearscan.field.compose.Stamp.PAD;

import java.awt.Color;
import org.smearscan.segment.Box;

/** Turning crops into stamps: scale, quarter turns and flip, recolour, soft edge. */
final class CropStamps {
    private CropStamps() {}

    /**
     * @param d the diameter wanted (geometric mean of the mask's bounding width and height)
     * @param target the colour the crop's median colour is mapped to
     */
    static Stamp make(PreparedCrop crop, double d, int turns, boolean flip, double[] target, Color background) {
        Box b = crop.bounds();
        double[] median = crop.median();
        double[] gain = new double[3];
        int[] bgc = {background.getRed(), background.getGreen(), background.getBlue()};
        for (int c = 0; c < 3; c++) {
            gain[c] = target[c] / Math.max(1, median[c]) / bgc[c];
        }
        double scale = d / Math.sqrt((double) b.w() * b.h());
        int sw = (int) Math.ceil(b.w() * scale) + 2 * PAD;
        int sh = (int) Math.ceil(b.h() * scale) + 2 * PAD;
        float[][] out = Resampler.resample(crop.planes(), crop.w(), crop.h(), b.x() - PAD / scale,
                b.y() - PAD / scale, scale, sw, sh);
        float[] cov = out[0];
        float[] cr = new float[sw * sh];
        float[] cg = new float[sw * sh];
        float[] cb = new float[sw * sh];
        for (int o = 0; o < cov.length; o++) {
            boolean some = cov[o] > 1e-6f;
            cr[o] = some ? out[1][o] / cov[o] : (float) median[0];
            cg[o] = some ? out[2][o] / cov[o] : (float) median[1];
            cb[o] = some ? out[3][o] / cov[o] : (float) median[2];
        }
        // A smooth outline: the coverage blurred over about 2 px, cut at one half, one piece without holes,
        // spikes narrower than a tenth of the cell cut off (NIH's segmentation leaves some); then an edge
        // softened over about 2 px.
        boolean[] shape = opened(largestFilled(threshold(Blur.box(cov, sw, sh, 2), 0.5f), sw, sh), sw, sh,
                Math.max(2, 0.07 * d));
        float[] hard = new float[sw * sh];
        for (int i = 0; i < hard.length; i++) {
            hard[i] = shape[i] ? 1 : 0;
        }
        float[] soft = Blur.binomial(hard, sw, sh);
        Stamp s = oriented(sw, sh, turns);
        for (int v = 0; v < sh; v++) {
            for (int u = 0; u < sw; u++) {
                int from = v * sw + u;
                int to = orient(u, v, sw, sh, turns, flip, s.w);
                s.mask[to] = shape[from];
                s.alpha[to] = soft[from];
                s.tr[to] = (float) clamp(cr[from] * gain[0], 0.02, 1);
                s.tg[to] = (float) clamp(cg[from] * gain[1], 0.02, 1);
                s.tb[to] = (float) clamp(cb[from] * gain[2], 0.02, 1);
            }
        }
        s.index();
        return s;
    }

    /**
     * A morphological opening by a disc of the given radius (erosion, then dilation): what the disc cannot
     * reach when rolled inside the shape goes. The shape as it was when nothing would be left.
     */
    private static boolean[] opened(boolean[] shape, int w, int h, double radius) {
        boolean[] outside = new boolean[shape.length];
        for (int i = 0; i < shape.length; i++) {
            outside[i] = !shape[i];
        }
        float[] toOutside = DistanceTransform.squaredDistances(outside, w, h);
        double r2 = radius * radius;
        boolean[] core = new boolean[shape.length];
        boolean any = false;
        for (int i = 0; i < shape.length; i++) {
            core[i] = shape[i] && toOutside[i] > r2;
            any |= core[i];
        }
        if (!any) {
            return shape;
        }
        float[] toCore = DistanceTransform.squaredDistances(core, w, h);
        boolean[] out = new boolean[shape.length];
        for (int i = 0; i < shape.length; i++) {
            out[i] = shape[i] && toCore[i] <= r2;
        }
        return largestFilled(out, w, h);
    }

    private static boolean[] threshold(float[] a, float t) {
        boolean[] out = new boolean[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] >= t;
        }
        return out;
    }

    /** The largest 4-connected part, holes filled (resampling can cut a thin neck or leave a pinhole). */
    private static boolean[] largestFilled(boolean[] on, int w, int h) {
        return CellMask.largestFilled(on, w, h);
    }

    private static Stamp oriented(int sw, int sh, int turns) {
        return turns % 2 == 0 ? new Stamp(sw, sh) : new Stamp(sh, sw);
    }

    /** The index in the turned (then flipped) stamp of the pixel (u, v) of a sw × sh one. */
    private static int orient(int u, int v, int sw, int sh, int turns, boolean flip, int outW) {
        int x;
        int y;
        switch (turns) {
            case 1 -> {
                x = sh - 1 - v;
                y = u;
            }
            case 2 -> {
                x = sw - 1 - u;
                y = sh - 1 - v;
            }
            case 3 -> {
                x = v;
                y = sw - 1 - u;
            }
            default -> {
                x = u;
                y = v;
            }
        }
        if (flip) {
            x = outW - 1 - x;
        }
        return y * outW + x;
    }
}
