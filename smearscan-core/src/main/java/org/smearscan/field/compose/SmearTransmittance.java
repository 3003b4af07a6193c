package org.smearscan.field.compose;

import static org.smearscan.field.compose.Clamp.clamp;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.Arrays;
import java.util.Random;

/**
 * The share of light the whole smear lets through, per image pixel and channel: stamps are multiplied into it,
 * so where two objects overlap the shares multiply; rendered at last over the background into the field's image.
 */
final class SmearTransmittance {
    private final int width;
    private final int height;
    /** Transmittance of the whole smear per image pixel and channel. */
    private final float[] tr;
    private final float[] tg;
    private final float[] tb;

    /** A clear smear of width × height pixels: everything let through. */
    SmearTransmittance(int width, int height) {
        this.width = width;
        this.height = height;
        this.tr = new float[width * height];
        this.tg = new float[width * height];
        this.tb = new float[width * height];
        Arrays.fill(tr, 1f);
        Arrays.fill(tg, 1f);
        Arrays.fill(tb, 1f);
    }

    /** Multiplies the stamp's transmittance, weighted by its soft alpha, into the field's. */
    void paint(Stamp s, int x, int y) {
        int x0 = Math.max(0, x);
        int y0 = Math.max(0, y);
        int x1 = Math.min(width, x + s.w);
        int y1 = Math.min(height, y + s.h);
        for (int fy = y0; fy < y1; fy++) {
            for (int fx = x0; fx < x1; fx++) {
                int i = (fy - y) * s.w + fx - x;
                float a = s.alpha[i];
                if (a <= 0) {
                    continue;
                }
                int f = fy * width + fx;
                tr[f] *= 1 - a * (1 - s.tr[i]);
                tg[f] *= 1 - a * (1 - s.tg[i]);
                tb[f] *= 1 - a * (1 - s.tb[i]);
            }
        }
    }

    /** Background with low-frequency shading, times the smear's transmittance, plus noise. */
    BufferedImage render(Random rnd, Color background) {
        float[] shading = BackgroundShading.of(rnd, width, height);
        double[] tint = {1 + 0.015 * clamp(rnd.nextGaussian(), -2.5, 2.5),
            1 + 0.015 * clamp(rnd.nextGaussian(), -2.5, 2.5), 1 + 0.015 * clamp(rnd.nextGaussian(), -2.5, 2.5)};
        float br = (float) (background.getRed() * tint[0]);
        float bg = (float) (background.getGreen() * tint[1]);
        float bb = (float) (background.getBlue() * tint[2]);
        int[] rgb = new int[width * height];
        for (int i = 0; i < rgb.length; i++) {
            long bits = rnd.nextLong();
            float s = shading[i];
            int r = toByte(br * s * tr[i] + noise(bits));
            int g = toByte(bg * s * tg[i] + noise(bits >>> 21));
            int b = toByte(bb * s * tb[i] + noise(bits >>> 42));
            rgb[i] = r << 16 | g << 8 | b;
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        System.arraycopy(rgb, 0, ((DataBufferInt) image.getRaster().getDataBuffer()).getData(), 0, rgb.length);
        return image;
    }

    /** Camera noise from 21 random bits: a triangular distribution with a standard deviation of about 2. */
    private static float noise(long bits) {
        int a = (int) (bits & 0x3ff);
        int b = (int) ((bits >>> 10) & 0x3ff);
        return (a + b - 1023) * (2.0f * 2.45f / 1024f);
    }

    private static int toByte(float v) {
        int i = Math.round(v);
        return i < 0 ? 0 : Math.min(255, i);
    }
}
