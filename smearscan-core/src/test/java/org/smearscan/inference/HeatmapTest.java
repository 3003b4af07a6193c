package org.smearscan.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smearscan.data.ResizeMethod;
import org.smearscan.predict.HeatmapFolder;
import org.smearscan.testing.TestModels;

class HeatmapTest {
    @TempDir
    Path tmp;

    @Test
    void classifierGivesOneNormalisedMapPerImageOverItsInput() throws IOException {
        try (CellClassifier classifier = CellClassifier.load(TestModels.trained())) {
            List<BufferedImage> cells = TestModels.cells(40, 3, true);
            List<byte[]> prepared = cells.stream().map(classifier::prepare).toList();
            int[] targets = classifier.predictPrepared(prepared, false).stream().mapToInt(Prediction::labelIndex).toArray();
            float[][][] maps = classifier.heatmaps(prepared, targets);
            assertThat(maps.length).isEqualTo(3);
            for (float[][] map : maps) {
                assertThat(map.length).isEqualTo(TestModels.SIZE);
                assertThat(map[0].length).isEqualTo(TestModels.SIZE);
                float max = 0;
                for (float[] row : map) {
                    for (float v : row) {
                        assertThat(v).isBetween(0f, 1f);
                        max = Math.max(max, v);
                    }
                }
                assertThat(max).isIn(0f, 1f);
            }
            // the classifier still answers as before after a gradient pass
            assertThat(classifier.predictPrepared(prepared, false).stream().mapToInt(Prediction::labelIndex).toArray())
                    .containsExactly(targets);
        }
    }

    @Test
    void squishedMapsStretchBackOverTheWholeImage() {
        float[][] heat = new float[32][32];
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                heat[y][x] = 1;
            }
        }
        float[][] image = HeatmapOverlay.toImageGeometry(heat, 100, 60, ResizeMethod.SQUISH);
        assertThat(image.length).isEqualTo(60);
        assertThat(image[0].length).isEqualTo(100);
        assertThat(image[10][20]).isEqualTo(1f);
        assertThat(image[50][80]).isZero();
    }

    @Test
    void croppedAwayPartsGetNoHeat() {
        float[][] heat = filled(32, 1f);
        float[][] image = HeatmapOverlay.toImageGeometry(heat, 128, 64, ResizeMethod.CROP);
        assertThat(image[32][64]).isEqualTo(1f);
        assertThat(image[32][2]).as("left of the centre square").isZero();
        assertThat(image[32][125]).as("right of the centre square").isZero();
    }

    @Test
    void paddedMapsLoseThePadding() {
        float[][] heat = new float[32][32];
        for (int y = 8; y < 24; y++) {
            java.util.Arrays.fill(heat[y], 1f); // where a 2:1 image lands when padded to the square
        }
        float[][] image = HeatmapOverlay.toImageGeometry(heat, 128, 64, ResizeMethod.PAD);
        double sum = 0;
        for (float[] row : image) {
            for (float v : row) {
                sum += v;
            }
        }
        assertThat(sum / (128 * 64)).isCloseTo(1.0, within(0.05));
        assertThat(image[32][64]).isEqualTo(1f);
    }

    @Test
    void folderWritesOneOverlayPerImageWithoutOverwriting() throws IOException {
        HeatmapFolder folder = new HeatmapFolder(tmp.resolve("heat"));
        try (CellClassifier classifier = CellClassifier.load(TestModels.trained())) {
            List<BufferedImage> cells = TestModels.cells(41, 2, true);
            List<byte[]> prepared = cells.stream().map(classifier::prepare).toList();
            List<Prediction> predictions = classifier.predictPrepared(prepared, false);
            List<Path> written = folder.write(classifier, List.of(Path.of("a/cell.png"), Path.of("b/cell.png")),
                    cells, prepared, predictions);
            assertThat(written).extracting(p -> p.getFileName().toString())
                    .containsExactly("cell.gradcam.png", "cell-2.gradcam.png");
            for (int i = 0; i < 2; i++) {
                BufferedImage overlay = ImageIO.read(written.get(i).toFile());
                assertThat(overlay.getWidth()).isEqualTo(cells.get(i).getWidth());
                assertThat(overlay.getHeight()).isEqualTo(cells.get(i).getHeight());
            }
        }
    }

    private static float[][] filled(int size, float value) {
        float[][] m = new float[size][size];
        for (float[] row : m) {
            java.util.Arrays.fill(row, value);
        }
        return m;
    }
}
