package org.smearscan.field.compose;

/**
 * A picture ready to lay on the field (a red cell, a white cell, a platelet or a speck of debris):
 * transmittance, soft alpha and binary mask, with {@link #PAD} around.
 */
final class Stamp {
    /** Free cells keep at least this many pixels from every other object. */
    static final int GAP = 2;
    /** Empty pixels around every stamp: room for the gap and for the soft edge. */
    static final int PAD = GAP + 2;

    final int w;
    final int h;
    /** Per pixel and channel, the share of light let through where the object fully covers the pixel. */
    final float[] tr;
    final float[] tg;
    final float[] tb;
    final float[] alpha;
    final boolean[] mask;
    /** Indices of the mask's pixels; of those within 1 px of it (it included); within GAP px of it. */
    int[] inside;
    int[] near1;
    int[] nearGap;
    /** A sparse sample of {@link #nearGap}, checked first: most spots in a crowded field fail on it. */
    int[] probe;
    /** The same lists as offsets into a map of another row length (see {@link #locate}). */
    int[] insideAt;
    int[] near1At;
    int[] nearGapAt;
    int[] probeAt;
    int area;
    int bx0;
    int by0;
    int bx1;
    int by1;
    double cx;
    double cy;
    double reach;

    Stamp(int w, int h) {
        this.w = w;
        this.h = h;
        tr = new float[w * h];
        tg = new float[w * h];
        tb = new float[w * h];
        alpha = new float[w * h];
        mask = new boolean[w * h];
    }

    /** Derives the index lists, bounds, centroid and reach from {@link #mask}. */
    void index() {
        int n = 0;
        bx0 = w;
        by0 = h;
        bx1 = -1;
        by1 = -1;
        double sx = 0;
        double sy = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (mask[y * w + x]) {
                    n++;
                    sx += x;
                    sy += y;
                    bx0 = Math.min(bx0, x);
                    bx1 = Math.max(bx1, x);
                    by0 = Math.min(by0, y);
                    by1 = Math.max(by1, y);
                }
            }
        }
        area = n;
        cx = sx / n;
        cy = sy / n;
        inside = new int[n];
        int k = 0;
        double r2 = 0;
        for (int i = 0; i < mask.length; i++) {
            if (mask[i]) {
                inside[k++] = i;
                double dx = i % w - cx;
                double dy = i / w - cy;
                r2 = Math.max(r2, dx * dx + dy * dy);
            }
        }
        reach = Math.sqrt(r2) + 1;
        near1 = dilated(1);
        nearGap = dilated(GAP);
        int stride = Math.max(1, nearGap.length / 48);
        probe = new int[(nearGap.length + stride - 1) / stride];
        for (int i = 0, j = 0; j < probe.length; i += stride, j++) {
            probe[j] = nearGap[i];
        }
    }

    /** Computes the {@code ...At} offsets for a map whose rows are {@code stride} pixels long. */
    Stamp locate(int stride) {
        insideAt = offsets(inside, stride);
        near1At = offsets(near1, stride);
        nearGapAt = offsets(nearGap, stride);
        probeAt = offsets(probe, stride);
        return this;
    }

    /** The width of the mask's bounding box. */
    int boxWidth() {
        return bx1 - bx0 + 1;
    }

    /** The height of the mask's bounding box. */
    int boxHeight() {
        return by1 - by0 + 1;
    }

    private int[] offsets(int[] indices, int stride) {
        int[] out = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            out[k] = indices[k] / w * stride + indices[k] % w;
        }
        return out;
    }

    /** The mask grown by r pixels (a square neighbourhood), from its boundary pixels. */
    private int[] dilated(int r) {
        boolean[] d = mask.clone();
        for (int i : inside) {
            int x = i % w;
            int y = i / w;
            boolean edge = x == 0 || y == 0 || x == w - 1 || y == h - 1
                    || !mask[i - 1] || !mask[i + 1] || !mask[i - w] || !mask[i + w];
            if (!edge) {
                continue;
            }
            for (int yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy++) {
                for (int xx = Math.max(0, x - r); xx <= Math.min(w - 1, x + r); xx++) {
                    d[yy * w + xx] = true;
                }
            }
        }
        int n = 0;
        for (boolean b : d) {
            n += b ? 1 : 0;
        }
        int[] out = new int[n];
        int k = 0;
        for (int i = 0; i < d.length; i++) {
            if (d[i]) {
                out[k++] = i;
            }
        }
        return out;
    }
}
