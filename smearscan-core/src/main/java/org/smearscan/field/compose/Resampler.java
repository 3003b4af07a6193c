package org.smearscan.field.compose;

/** Scaling planes of a picture with a tent filter, so that a reduction averages the pixels it merges. */
final class Resampler {
    private Resampler() {}

    /**
     * Resamples planes of a w × h picture to sw × sh, output pixel (u, v) centred on the source point
     * (x0 + (u + ½) / scale, y0 + (v + ½) / scale): a separable tent filter as wide as an output pixel
     * (at least one source pixel), so a reduction averages the pixels it merges. Outside the picture is 0.
     */
    static float[][] resample(float[][] planes, int w, int h, double x0, double y0, double scale, int sw, int sh) {
        Taps tx = Taps.of(x0, scale, sw, w);
        Taps ty = Taps.of(y0, scale, sh, h);
        int n = planes.length;
        float[][] out = new float[n][sw * sh];
        float[] row = new float[sw];
        for (int c = 0; c < n; c++) {
            float[] src = planes[c];
            float[] mid = new float[h * sw];
            for (int y = 0; y < h; y++) {
                tx.apply(src, y * w, 1, row);
                System.arraycopy(row, 0, mid, y * sw, sw);
            }
            float[] col = new float[sh];
            for (int u = 0; u < sw; u++) {
                ty.apply(mid, u, sw, col);
                for (int v = 0; v < sh; v++) {
                    out[c][v * sw + u] = col[v];
                }
            }
        }
        return out;
    }

    /** The weights of a one-dimensional resampling: for each output index, a run of source indices. */
    private record Taps(int[] first, float[][] weights) {
        static Taps of(double origin, double scale, int outN, int srcN) {
            double radius = Math.max(1, 1 / scale);
            int[] first = new int[outN];
            float[][] weights = new float[outN][];
            for (int u = 0; u < outN; u++) {
                double centre = origin + (u + 0.5) / scale;
                int lo = (int) Math.floor(centre - 0.5 - radius) + 1;
                int hi = (int) Math.ceil(centre - 0.5 + radius) - 1;
                double total = 0;
                for (int i = lo; i <= hi; i++) {
                    total += Math.max(0, 1 - Math.abs(i + 0.5 - centre) / radius);
                }
                int from = Math.max(0, lo);
                int to = Math.min(srcN - 1, hi);
                first[u] = from;
                float[] wts = new float[Math.max(0, to - from + 1)];
                for (int i = from; i <= to; i++) {
                    wts[i - from] = (float) (Math.max(0, 1 - Math.abs(i + 0.5 - centre) / radius) / total);
                }
                weights[u] = wts;
            }
            return new Taps(first, weights);
        }

        /** out[u] = sum of weights times src[offset + i * stride] over the run of u. */
        void apply(float[] src, int offset, int stride, float[] out) {
            for (int u = 0; u < out.length; u++) {
                float[] wts = weights[u];
                int base = offset + first[u] * stride;
                float sum = 0;
                for (int k = 0; k < wts.length; k++) {
                    sum += wts[k] * src[base + k * stride];
                }
                out[u] = sum;
            }
        }
    }
}
