package org.smearscan.inference;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.smearscan.testing.BlobNets;

class GradCamTest {
    private static BlobNets.Trained trained;

    @BeforeAll
    static void trainTinyNet() {
        trained = BlobNets.train(17, 100);
    }

    @AfterAll
    static void close() {
        trained.close();
    }

    private static BlobNets.BlobImage[] heldOut(int count, long seed, boolean marked) {
        Random rnd = new Random(seed);
        BlobNets.BlobImage[] images = new BlobNets.BlobImage[count];
        for (int i = 0; i < count; i++) {
            images[i] = BlobNets.image(rnd, marked);
        }
        return images;
    }

    private static int[] predict(NDManager manager, BlobNets.BlobImage[] images) {
        NDArray logits = trained.net().network()
                .forward(new ParameterStore(manager, false), new NDList(BlobNets.batch(manager, images)), false)
                .singletonOrThrow();
        return ModelScoresFromLogits.argmax(logits.toFloatArray(), 2);
    }

    @Test
    void theHeatmapPeaksOnTheRegionThatDecidesTheClass() {
        BlobNets.BlobImage[] marked = heldOut(20, 99, true);
        try (NDManager manager = trained.trainer().getManager().newSubManager()) {
            // The net must have learned the rule, or the heatmap has nothing to show.
            int[] predicted = predict(manager, marked);
            int[] unmarkedPredicted = predict(manager, heldOut(20, 98, false));
            long right = java.util.Arrays.stream(predicted).filter(c -> c == 0).count()
                    + java.util.Arrays.stream(unmarkedPredicted).filter(c -> c == 1).count();
            assertThat(right).as("held-out accuracy of the tiny net, of 40").isGreaterThanOrEqualTo(36);

            int[] target = new int[marked.length];
            float[][][] maps = GradCam.heatmaps(trained.net(), BlobNets.batch(manager, marked), target);
            int onTheMark = 0;
            List<String> misses = new ArrayList<>();
            for (int i = 0; i < marked.length; i++) {
                float[][] map = maps[i];
                assertThat(map.length).isEqualTo(BlobNets.SIZE);
                assertThat(map[0].length).isEqualTo(BlobNets.SIZE);
                int[] peak = argmax(map);
                double distance = Math.hypot(peak[0] - marked[i].markX(), peak[1] - marked[i].markY());
                if (distance <= BlobNets.RADIUS + 2) {
                    onTheMark++;
                } else {
                    misses.add("image " + i + ": peak " + peak[0] + "," + peak[1] + " mark " + marked[i].markX()
                            + "," + marked[i].markY());
                }
                for (float[] row : map) {
                    for (float v : row) {
                        assertThat(v).isBetween(0f, 1f);
                    }
                }
            }
            assertThat(onTheMark).as("heatmap peaks on the red blob; misses: " + misses).isGreaterThanOrEqualTo(18);
        }
    }

    @Test
    void noGradientReachesTheNetworkAndNothingAboutItChanges() {
        ai.djl.nn.ParameterList parameters = trained.net().network().getParameters();
        Map<String, float[]> gradients = new HashMap<>();
        Map<String, float[]> values = new HashMap<>();
        Map<String, Boolean> trainable = new HashMap<>();
        snapshot(parameters, gradients, values, trainable);
        assertThat(gradients).as("the trained net's parameters carry gradients to compare").isNotEmpty();

        try (NDManager manager = trained.trainer().getManager().newSubManager()) {
            BlobNets.BlobImage[] images = heldOut(4, 5, true);
            GradCam.heatmaps(trained.net(), BlobNets.batch(manager, images), new int[] {0, 1, 0, 1});

            Map<String, float[]> gradientsAfter = new HashMap<>();
            Map<String, float[]> valuesAfter = new HashMap<>();
            Map<String, Boolean> trainableAfter = new HashMap<>();
            snapshot(parameters, gradientsAfter, valuesAfter, trainableAfter);
            assertThat(trainableAfter).isEqualTo(trainable);
            for (String name : gradients.keySet()) {
                assertThat(gradientsAfter.get(name)).as("gradient of " + name).containsExactly(gradients.get(name));
            }
            for (String name : values.keySet()) {
                assertThat(valuesAfter.get(name)).as("value of " + name).containsExactly(values.get(name));
            }

            // Control: the naive way (the network's own parameters in the graph) does change the gradients,
            // so the comparison above would have caught a leak.
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                NDArray logits = trained.net().network().forward(new ParameterStore(manager, false),
                        new NDList(BlobNets.batch(manager, images)), false).singletonOrThrow();
                collector.backward(logits.get(":, 0").sum());
            }
            Map<String, float[]> gradientsNaive = new HashMap<>();
            snapshot(parameters, gradientsNaive, new HashMap<>(), new HashMap<>());
            boolean changed = gradients.keySet().stream()
                    .anyMatch(name -> !java.util.Arrays.equals(gradients.get(name), gradientsNaive.get(name)));
            assertThat(changed).as("the naive Grad-CAM leaks gradient into the parameters").isTrue();
        }
    }

    @Test
    void overlayKeepsTheCellSizeAndColoursByHeat() {
        BufferedImage cell = new BufferedImage(40, 20, BufferedImage.TYPE_INT_RGB);
        float[][] heat = new float[2][4];
        heat[0][0] = 1f;
        BufferedImage out = GradCam.overlay(cell, heat);
        assertThat(out.getWidth()).isEqualTo(40);
        assertThat(out.getHeight()).isEqualTo(20);
        // On a black cell at alpha 0.5, the hot corner is half of viridis(1) = #fde725 and the far corner
        // half of viridis(0) = #440154.
        assertThat(out.getRGB(0, 0) & 0xffffff).isEqualTo(rgb(0xfd / 2.0, 0xe7 / 2.0, 0x25 / 2.0));
        assertThat(out.getRGB(39, 19) & 0xffffff).isEqualTo(rgb(0x44 / 2.0, 0x01 / 2.0, 0x54 / 2.0));
    }

    @Test
    void bilinearResizeKeepsConstantsAndCorners() {
        float[][] map = {{0, 1}, {1, 0}};
        float[][] big = GradCam.resizeBilinear(map, 8, 8);
        // Pixel centres beyond the outermost coarse centres take the edge value (align_corners=False).
        assertThat(big[0][0]).isEqualTo(0f);
        assertThat(big[0][7]).isEqualTo(1f);
        assertThat(big[7][0]).isEqualTo(1f);
        // The centre lies between all four: 0.5.
        float[][] odd = GradCam.resizeBilinear(map, 3, 3);
        assertThat(odd[1][1]).isEqualTo(0.5f);
    }

    @Test
    void viridisEndsAreMatplotlibs() {
        assertThat(ColourMap.viridis(0)).isEqualTo(0x440154);
        assertThat(ColourMap.viridis(1)).isEqualTo(0xfde725);
        assertThat(ColourMap.viridis(0.5)).isEqualTo(0x21918c);
        assertThat(ColourMap.viridis(-3)).isEqualTo(0x440154);
    }

    private static int rgb(double r, double g, double b) {
        return ((int) Math.round(r) << 16) | ((int) Math.round(g) << 8) | (int) Math.round(b);
    }

    private static int[] argmax(float[][] map) {
        int[] best = {0, 0};
        for (int y = 0; y < map.length; y++) {
            for (int x = 0; x < map[y].length; x++) {
                if (map[y][x] > map[best[1]][best[0]]) {
                    best = new int[] {x, y};
                }
            }
        }
        return best;
    }

    private static void snapshot(ai.djl.nn.ParameterList parameters, Map<String, float[]> gradients,
            Map<String, float[]> values, Map<String, Boolean> trainable) {
        for (Pair<String, Parameter> p : parameters) {
            NDArray array = p.getValue().getArray();
            String name = p.getKey();
            trainable.put(name, array.hasGradient());
            values.put(name, array.toFloatArray());
            if (array.hasGradient()) {
                gradients.put(name, array.getGradient().toFloatArray());
            }
        }
    }

    /** Argmax of row-major logits. */
    static final class ModelScoresFromLogits {
        static int[] argmax(float[] flat, int classes) {
            int[] out = new int[flat.length / classes];
            for (int i = 0; i < out.length; i++) {
                int best = 0;
                for (int k = 1; k < classes; k++) {
                    if (flat[i * classes + k] > flat[i * classes + best]) {
                        best = k;
                    }
                }
                out[i] = best;
            }
            return out;
        }
    }
}
