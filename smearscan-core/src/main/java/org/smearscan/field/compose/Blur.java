package org.smearscan.field.compose;

/** Separable blurs of a w × h plane of floats, zero outside it. */
final class Blur {
    private Blur() {}

    /** A mean over (2r + 1) × (2r + 1) pixels, zero outside. */
    static float[] box(float[] a, int w, int h, int r) {
        float[] t = new float[w * h];
        float norm = 1f / (2 * r + 1);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float sum = 0;
                for (int dx = -r; dx <= r; dx++) {
                    if (x + dx >= 0 && x + dx < w) {
                        sum += a[y * w + x + dx];
                    }
                }
                t[y * w + x] = sum * norm;
            }
        }
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float sum = 0;
                for (int dy = -r; dy <= r; dy++) {
                    if (y + dy >= 0 && y + dy < h) {
                        sum += t[(y + dy) * w + x];
                    }
                }
                out[y * w + x] = sum * norm;
            }
        }
        return out;
    }

    /** A [1 2 1] / 4 blur in each direction: softens an edge to about 2 px. */
    static float[] binomial(float[] a, int w, int h) {
        float[] t = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float l = x > 0 ? a[y * w + x - 1] : 0;
                float r = x < w - 1 ? a[y * w + x + 1] : 0;
                t[y * w + x] = 0.25f * l + 0.5f * a[y * w + x] + 0.25f * r;
            }
        }
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float u = y > 0 ? t[(y - 1) * w + x] : 0;
                float d = y < h - 1 ? t[(y + 1) * w + x] : 0;
                out[y * w + x] = 0.25f * u + 0.5f * t[y * w + x] + 0.25f * d;
            }
        }
        return out;
    }
}
