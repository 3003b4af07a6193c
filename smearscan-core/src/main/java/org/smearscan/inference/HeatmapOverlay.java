package org.smearscan.inference;

import java.awt.image.BufferedImage;
import org.smearscan.data.ResizeMethod;

/**
 * Lays a Grad-CAM map, computed over the network's input square, over the original image. The map is
 * carried back through the same geometry {@link org.smearscan.data.Transforms#resizeToRgb} used: squished,
 * centre-cropped or padded. Parts of the original the network never saw (cropped away) get no heat.
 */
public final class HeatmapOverlay {
    private HeatmapOverlay() {}

    /** The original image with the map blended over it (viridis, see {@link GradCam#overlay}). */
    public static BufferedImage overlay(BufferedImage original, float[][] heat, ResizeMethod method) {
        return GradCam.overlay(original, toImageGeometry(heat, original.getWidth(), original.getHeight(), method));
    }

    /** The map resampled to a {@code w x h} original: one value per original pixel. */
    public static float[][] toImageGeometry(float[][] heat, int w, int h, ResizeMethod method) {
        int size = heat.length;
        double scaleX;
        double scaleY;
        double offsetX;
        double offsetY;
        switch (method) {
            case SQUISH -> {
                scaleX = (double) size / w;
                scaleY = (double) size / h;
                offsetX = 0;
                offsetY = 0;
            }
            case CROP, PAD -> {
                double scale = (double) size / (method == ResizeMethod.CROP ? Math.min(w, h) : Math.max(w, h));
                int sw = Math.max(1, (int) Math.round(w * scale));
                int sh = Math.max(1, (int) Math.round(h * scale));
                scaleX = (double) sw / w;
                scaleY = (double) sh / h;
                offsetX = (size - sw) / 2;
                offsetY = (size - sh) / 2;
            }
            default -> throw new IllegalStateException("unhandled resize method " + method);
        }
        float[][] out = new float[h][w];
        for (int y = 0; y < h; y++) {
            double iy = (y + 0.5) * scaleY + offsetY - 0.5;
            for (int x = 0; x < w; x++) {
                double ix = (x + 0.5) * scaleX + offsetX - 0.5;
                out[y][x] = sample(heat, ix, iy);
            }
        }
        return out;
    }

    /** Bilinear sample at input coordinates; 0 outside the input square. */
    private static float sample(float[][] heat, double x, double y) {
        int size = heat.length;
        if (x < -0.5 || y < -0.5 || x > size - 0.5 || y > size - 0.5) {
            return 0f;
        }
        double cx = Math.min(Math.max(x, 0), size - 1);
        double cy = Math.min(Math.max(y, 0), size - 1);
        int x0 = (int) cx;
        int y0 = (int) cy;
        int x1 = Math.min(x0 + 1, size - 1);
        int y1 = Math.min(y0 + 1, size - 1);
        double fx = cx - x0;
        double fy = cy - y0;
        double top = heat[y0][x0] * (1 - fx) + heat[y0][x1] * fx;
        double bottom = heat[y1][x0] * (1 - fx) + heat[y1][x1] * fx;
        return (float) (top * (1 - fy) + bottom * fy);
    }
}
