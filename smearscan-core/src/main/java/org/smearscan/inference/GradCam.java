package org.smearscan.inference;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.awt.image.BufferedImage;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.smearscan.model.CellNet;

/**
 * Grad-CAM (Selvaraju et al. 2017): where in the image the evidence for a class lies. The class score's
 * gradient with respect to the last convolutional feature map (the body's output), averaged over space,
 * weighs each channel; the weighted channels, summed and passed through a ReLU, are the map.
 *
 * <p>The network's parameters are never part of the gradient graph: every block reads them through a
 * store that hands out detached views, so no gradient reaches them and no flag on them changes. That
 * keeps a model that is being served (or trained) untouched, with no freeze/unfreeze to race with.
 * DJL's PyTorch engine allows one gradient collector per process at a time, so calls are serialised.
 */
public final class GradCam {
    /** Opacity of the colour map over the cell in {@link #overlay}. */
    public static final float DEFAULT_ALPHA = 0.5f;

    private static final ReentrantLock ONE_COLLECTOR_AT_A_TIME = new ReentrantLock();

    private GradCam() {}

    /**
     * One map per image, {@code [image][y][x]} at the input's height and width, scaled so each image's
     * maximum is 1 (all 0 where nothing speaks for the class).
     *
     * @param net         the network (its head runs in inference mode: dropout off, batch-norm running stats)
     * @param images      (N, 3, H, W) normalised as the network expects
     * @param targetClass the class to explain for each image (usually the predicted one)
     */
    public static float[][][] heatmaps(CellNet net, NDArray images, int[] targetClass) {
        Shape shape = images.getShape();
        if (shape.dimension() != 4 || shape.get(1) != 3) {
            throw new IllegalArgumentException("Grad-CAM needs images shaped (N, 3, H, W), got " + shape);
        }
        int n = (int) shape.get(0);
        int height = (int) shape.get(2);
        int width = (int) shape.get(3);
        if (targetClass.length != n) {
            throw new IllegalArgumentException("got " + n + " images but " + targetClass.length + " target classes");
        }
        float[] cams;
        int mapHeight;
        int mapWidth;
        ONE_COLLECTOR_AT_A_TIME.lock();
        try (NDManager scope = images.getManager().newSubManager()) {
            // A copy owned by this scope, so every intermediate result is freed with it.
            NDArray input = images.duplicate();
            input.attach(scope);
            ParameterStore detached = new DetachedParameterStore(scope);
            NDArray body = net.body().forward(detached, new NDList(input), false).singletonOrThrow();
            NDArray features = body.stopGradient();
            features.attach(scope);
            features.setRequiresGradient(true);
            Shape featureShape = features.getShape();
            mapHeight = (int) featureShape.get(2);
            mapWidth = (int) featureShape.get(3);
            try (GradientCollector collector = scope.getEngine().newGradientCollector()) {
                NDArray logits = net.head().forward(detached, new NDList(features), false).singletonOrThrow();
                int classes = (int) logits.getShape().get(1);
                float[] mask = new float[n * classes];
                for (int i = 0; i < n; i++) {
                    if (targetClass[i] < 0 || targetClass[i] >= classes) {
                        throw new IllegalArgumentException("target class " + targetClass[i] + " of image " + i
                                + " is not one of the network's " + classes + " classes");
                    }
                    mask[i * classes + targetClass[i]] = 1;
                }
                // The sum of each image's own class score: images do not interact in inference mode, so
                // each image's gradient is that of its own score.
                NDArray score = logits.mul(scope.create(mask, new Shape(n, classes))).sum();
                collector.backward(score);
            }
            NDArray channelWeights = features.getGradient().mean(new int[] {3}, true).mean(new int[] {2}, true);
            cams = features.mul(channelWeights).sum(new int[] {1}).maximum(0f).toFloatArray();
        } finally {
            ONE_COLLECTOR_AT_A_TIME.unlock();
        }
        float[][][] maps = new float[n][][];
        int plane = mapHeight * mapWidth;
        for (int i = 0; i < n; i++) {
            float[][] coarse = new float[mapHeight][mapWidth];
            float max = 0;
            for (int y = 0; y < mapHeight; y++) {
                for (int x = 0; x < mapWidth; x++) {
                    coarse[y][x] = cams[i * plane + y * mapWidth + x];
                    max = Math.max(max, coarse[y][x]);
                }
            }
            if (max > 0) {
                for (float[] row : coarse) {
                    for (int x = 0; x < row.length; x++) {
                        row[x] /= max;
                    }
                }
            }
            maps[i] = resizeBilinear(coarse, height, width);
        }
        return maps;
    }

    /**
     * Bilinear resampling with pixel centres aligned (PyTorch's {@code align_corners=False}): a coarse
     * cell covers the same part of the image before and after.
     */
    public static float[][] resizeBilinear(float[][] map, int height, int width) {
        int inH = map.length;
        int inW = map[0].length;
        float[][] out = new float[height][width];
        for (int y = 0; y < height; y++) {
            double sy = Math.max(0, (y + 0.5) * inH / height - 0.5);
            int y0 = Math.min((int) sy, inH - 1);
            int y1 = Math.min(y0 + 1, inH - 1);
            double fy = sy - y0;
            for (int x = 0; x < width; x++) {
                double sx = Math.max(0, (x + 0.5) * inW / width - 0.5);
                int x0 = Math.min((int) sx, inW - 1);
                int x1 = Math.min(x0 + 1, inW - 1);
                double fx = sx - x0;
                double top = map[y0][x0] * (1 - fx) + map[y0][x1] * fx;
                double bottom = map[y1][x0] * (1 - fx) + map[y1][x1] * fx;
                out[y][x] = (float) (top * (1 - fy) + bottom * fy);
            }
        }
        return out;
    }

    /** The cell with the heatmap laid over it in viridis at {@link #DEFAULT_ALPHA}. */
    public static BufferedImage overlay(BufferedImage cell, float[][] heat) {
        return overlay(cell, heat, DEFAULT_ALPHA);
    }

    /** The cell with the heatmap (resampled to the cell's size if needed) blended over it at {@code alpha}. */
    public static BufferedImage overlay(BufferedImage cell, float[][] heat, float alpha) {
        int w = cell.getWidth();
        int h = cell.getHeight();
        float[][] map = heat.length == h && heat[0].length == w ? heat : resizeBilinear(heat, h, w);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int base = cell.getRGB(x, y);
                int colour = ColourMap.viridis(map[y][x]);
                out.setRGB(x, y, blend(base, colour, alpha));
            }
        }
        return out;
    }

    private static int blend(int base, int colour, float alpha) {
        int r = Math.round(((base >> 16) & 0xff) * (1 - alpha) + ((colour >> 16) & 0xff) * alpha);
        int g = Math.round(((base >> 8) & 0xff) * (1 - alpha) + ((colour >> 8) & 0xff) * alpha);
        int b = Math.round((base & 0xff) * (1 - alpha) + (colour & 0xff) * alpha);
        return (r << 16) | (g << 8) | b;
    }

    /**
     * Hands blocks detached views of their parameters (same storage, outside the autograd graph), owned
     * by the call's scope so they are freed with it.
     */
    private static final class DetachedParameterStore extends ParameterStore {
        private final NDManager scope;
        private final Map<String, NDArray> views = new ConcurrentHashMap<>();

        DetachedParameterStore(NDManager scope) {
            super(scope, false);
            this.scope = scope;
        }

        @Override
        public NDArray getValue(Parameter parameter, Device device, boolean training) {
            if (parameter == null) {
                return null;
            }
            return views.computeIfAbsent(parameter.getId(), id -> {
                NDArray view = parameter.getArray().stopGradient();
                view.attach(scope);
                if (!view.getDevice().equals(device)) {
                    view = view.toDevice(device, false);
                    view.attach(scope);
                }
                return view;
            });
        }
    }
}
