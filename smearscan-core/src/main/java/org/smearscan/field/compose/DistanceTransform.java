package org.smearscan.field.compose;

/** Felzenszwalb and Huttenlocher's exact Euclidean distance transform, on a grid of pixels. */
final class DistanceTransform {
    private DistanceTransform() {}

    /**
     * For each pixel of a w × h grid, the squared Euclidean distance to the nearest pixel where {@code zeroAt}
     * is set (a large number when none is), by Felzenszwalb and Huttenlocher's exact transform.
     */
    static float[] squaredDistances(boolean[] zeroAt, int w, int h) {
        float[] d = new float[w * h];
        for (int i = 0; i < d.length; i++) {
            d[i] = zeroAt[i] ? 0 : 1e20f;
        }
        int n = Math.max(w, h);
        float[] f = new float[n];
        float[] out = new float[n];
        int[] v = new int[n];
        float[] z = new float[n + 1];
        for (int y = 0; y < h; y++) {
            System.arraycopy(d, y * w, f, 0, w);
            edt(f, w, out, v, z);
            System.arraycopy(out, 0, d, y * w, w);
        }
        for (int x = 0; x < w; x++) {
            for (int y = 0; y < h; y++) {
                f[y] = d[y * w + x];
            }
            edt(f, h, out, v, z);
            for (int y = 0; y < h; y++) {
                d[y * w + x] = out[y];
            }
        }
        return d;
    }

    /** The squared distance transform of a sampled function, in one dimension (Felzenszwalb & Huttenlocher 2012). */
    private static void edt(float[] f, int n, float[] d, int[] v, float[] z) {
        int k = 0;
        v[0] = 0;
        z[0] = Float.NEGATIVE_INFINITY;
        z[1] = Float.POSITIVE_INFINITY;
        for (int q = 1; q < n; q++) {
            float s = ((f[q] + q * q) - (f[v[k]] + v[k] * v[k])) / (2f * q - 2f * v[k]);
            while (s <= z[k]) {
                k--;
                s = ((f[q] + q * q) - (f[v[k]] + v[k] * v[k])) / (2f * q - 2f * v[k]);
            }
            k++;
            v[k] = q;
            z[k] = s;
            z[k + 1] = Float.POSITIVE_INFINITY;
        }
        k = 0;
        for (int q = 0; q < n; q++) {
            while (z[k + 1] < q) {
                k++;
            }
            float dq = q - v[k];
            d[q] = dq * dq + f[v[k]];
        }
    }
}
