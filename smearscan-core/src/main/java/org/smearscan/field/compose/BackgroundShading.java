package org.smearscan.field.compose;

import java.util.Arrays;
import java.util.Random;

/** The background's illumination: slow waves and a vignette. */
final class BackgroundShading {
    private BackgroundShading() {}

    /** A multiplicative shading around 1: a few slow waves (±3% together) and a slight vignette. */
    static float[] of(Random rnd, int w, int h) {
        float[] s = new float[w * h];
        Arrays.fill(s, 1f);
        for (int k = 0; k < 3; k++) {
            double amp = 0.004 + 0.008 * rnd.nextDouble();
            double fx = 0.3 + 1.2 * rnd.nextDouble();
            double fy = 0.3 + 1.2 * rnd.nextDouble();
            double phase = 2 * Math.PI * rnd.nextDouble();
            float[] cx = new float[w];
            float[] sx = new float[w];
            float[] cy = new float[h];
            float[] sy = new float[h];
            for (int x = 0; x < w; x++) {
                cx[x] = (float) StrictMath.cos(2 * Math.PI * fx * x / w);
                sx[x] = (float) StrictMath.sin(2 * Math.PI * fx * x / w);
            }
            for (int y = 0; y < h; y++) {
                cy[y] = (float) StrictMath.cos(2 * Math.PI * fy * y / h + phase);
                sy[y] = (float) StrictMath.sin(2 * Math.PI * fy * y / h + phase);
            }
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    s[y * w + x] += (float) (amp * (cx[x] * cy[y] - sx[x] * sy[y]));
                }
            }
        }
        double vignette = 0.03 + 0.03 * rnd.nextDouble();
        double vx = w * (0.4 + 0.2 * rnd.nextDouble());
        double vy = h * (0.4 + 0.2 * rnd.nextDouble());
        double norm = (double) w * w / 4 + (double) h * h / 4;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double dx = x - vx;
                double dy = y - vy;
                s[y * w + x] *= (float) (1 - vignette * (dx * dx + dy * dy) / norm);
            }
        }
        return s;
    }
}
