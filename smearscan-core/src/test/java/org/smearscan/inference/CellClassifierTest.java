package org.smearscan.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smearscan.data.Transforms;
import org.smearscan.testing.TestModels;

class CellClassifierTest {
    private static CellClassifier classifier;

    @TempDir
    Path tmp;

    @BeforeAll
    static void load() throws IOException {
        classifier = CellClassifier.load(TestModels.trained());
    }

    @AfterAll
    static void close() {
        classifier.close();
    }

    @Test
    void trainedModelTellsSyntheticCellsApart() {
        List<Prediction> sick = classifier.predictAll(TestModels.cells(100, 20, true));
        List<Prediction> healthy = classifier.predictAll(TestModels.cells(200, 20, false));
        long right = sick.stream().filter(p -> p.label().equals("Parasitized")).count()
                + healthy.stream().filter(p -> p.label().equals("Uninfected")).count();
        // 32 of 40 is far above chance (20); the tiny test model varies a little with the test order.
        assertThat(right).as("correct calls out of 40").isGreaterThanOrEqualTo(32);
    }

    @Test
    void predictionCarriesTheDecisionAndItsContext() {
        Prediction p = classifier.predict(TestModels.cells(1, 1, true).get(0));
        assertThat(p.probabilities()).containsOnlyKeys("Parasitized", "Uninfected");
        assertThat(p.probabilities().values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0, within(1e-9));
        assertThat(p.parasitizedProbability()).isEqualTo(p.probabilities().get("Parasitized"));
        assertThat(p.probability()).isEqualTo(p.probabilities().get(p.label()));
        assertThat(p.labelIndex()).isEqualTo(TestModels.CLASSES.indexOf(p.label()));
        assertThat(p.threshold()).isEqualTo(0.5);
        assertThat(p.modelId()).isEqualTo(classifier.modelId());
        assertThat(p.tta()).isFalse();
    }

    @Test
    void batchesGiveTheSameAnswersAsSingleImagesInOrder() {
        List<BufferedImage> images = TestModels.cells(7, CellClassifier.DEFAULT_BATCH + 6, true);
        images.addAll(TestModels.cells(8, 4, false));
        List<Prediction> batched = classifier.predictAll(images);
        assertThat(batched).hasSize(images.size());
        for (int i = 0; i < images.size(); i += 9) {
            Prediction single = classifier.predict(images.get(i));
            assertThat(batched.get(i).label()).isEqualTo(single.label());
            assertThat(batched.get(i).parasitizedProbability()).isCloseTo(single.parasitizedProbability(), within(1e-5));
        }
    }

    @Test
    void logitsOfNormalisedTensorsEqualThoseOfPreparedImages() {
        List<byte[]> prepared = TestModels.cells(11, 3, true).stream().map(classifier::prepare).toList();
        float[] tensor = classifier.toBatch(prepared, 1);
        float[] direct = classifier.logitsOfNormalised(tensor, 3);
        float[][][] viaPrepared = classifier.logits(prepared, false, 3);
        int classes = TestModels.CLASSES.size();
        assertThat(direct).hasSize(3 * classes);
        for (int i = 0; i < 3; i++) {
            for (int c = 0; c < classes; c++) {
                assertThat(direct[i * classes + c]).isCloseTo(viaPrepared[i][0][c], within(1e-5f));
            }
        }
        assertThatThrownBy(() -> classifier.logitsOfNormalised(new float[tensor.length - 1], 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("need " + tensor.length + " floats");
    }

    @Test
    void temperatureDividesTheLogits() throws IOException {
        List<BufferedImage> images = TestModels.cells(9, 6, true);
        images.addAll(TestModels.cells(10, 6, false));
        Path hot = TestModels.rewrite(tmp.resolve("t2.smear"), TestModels.info().withTemperature(2.0));
        try (CellClassifier calibrated = CellClassifier.load(hot)) {
            List<Prediction> plain = classifier.predictAll(images);
            List<Prediction> scaled = calibrated.predictAll(images);
            for (int i = 0; i < images.size(); i++) {
                double plainLogit = logit(plain.get(i).parasitizedProbability());
                double scaledLogit = logit(scaled.get(i).parasitizedProbability());
                if (Double.isFinite(plainLogit) && Math.abs(plainLogit) < 30) {
                    assertThat(scaledLogit).isCloseTo(plainLogit / 2, within(1e-3 + Math.abs(plainLogit) * 1e-4));
                }
            }
            assertThat(calibrated.modelId()).isNotEqualTo(classifier.modelId());
        }
    }

    @Test
    void thresholdDecidesThePositiveCall() throws IOException {
        BufferedImage image = TestModels.cells(11, 1, true).get(0);
        double p = classifier.predict(image).parasitizedProbability();
        assertThat(p).isBetween(0.0, 1.0);
        Path strict = TestModels.rewrite(tmp.resolve("strict.smear"), TestModels.info().withThreshold(Math.nextUp(p)));
        Path lenient = TestModels.rewrite(tmp.resolve("lenient.smear"), TestModels.info().withThreshold(0.0));
        try (CellClassifier s = CellClassifier.load(strict); CellClassifier l = CellClassifier.load(lenient)) {
            Prediction notPositive = s.predict(image);
            assertThat(notPositive.label()).isEqualTo("Uninfected");
            assertThat(notPositive.probability()).isCloseTo(1 - p, within(1e-9));
            assertThat(notPositive.threshold()).isEqualTo(Math.nextUp(p));
            for (BufferedImage healthy : TestModels.cells(12, 5, false)) {
                assertThat(l.predict(healthy).label()).isEqualTo("Parasitized");
            }
        }
    }

    @Test
    void ttaAveragesTheEightDihedralViews() {
        BufferedImage image = TestModels.cells(13, 1, true).get(0);
        byte[] prepared = classifier.prepare(image);
        int size = classifier.info().imageSize();
        List<BufferedImage> views = new ArrayList<>();
        for (int v = 0; v < CellClassifier.TTA_VIEWS; v++) {
            BufferedImage view = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    int src = 3 * Transforms.dihedralSource(v, x, y, size);
                    view.setRGB(x, y, (prepared[src] & 0xff) << 16 | (prepared[src + 1] & 0xff) << 8 | (prepared[src + 2] & 0xff));
                }
            }
            views.add(view);
        }
        double mean = classifier.predictAll(views).stream().mapToDouble(Prediction::parasitizedProbability).average().orElseThrow();
        Prediction tta = classifier.predict(image, true);
        assertThat(tta.tta()).isTrue();
        assertThat(tta.parasitizedProbability()).isCloseTo(mean, within(1e-5));
    }

    @Test
    void concurrentCallersGetTheSameAnswersAsOne() throws Exception {
        List<BufferedImage> images = TestModels.cells(14, 12, true);
        images.addAll(TestModels.cells(15, 12, false));
        List<Prediction> expected = classifier.predictAll(images);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Prediction>> futures = new ArrayList<>();
            for (int round = 0; round < 2; round++) {
                for (BufferedImage image : images) {
                    futures.add(pool.submit(() -> classifier.predict(image)));
                }
            }
            for (int i = 0; i < futures.size(); i++) {
                Prediction p = futures.get(i).get();
                assertThat(p.label()).isEqualTo(expected.get(i % images.size()).label());
                assertThat(p.parasitizedProbability())
                        .isCloseTo(expected.get(i % images.size()).parasitizedProbability(), within(1e-5));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void filesThatCannotBeReadAreReportedAndTheRestClassified() throws IOException {
        Path good1 = tmp.resolve("good1.png");
        Path good2 = tmp.resolve("good2.png");
        ImageIO.write(TestModels.cells(16, 1, true).get(0), "png", good1.toFile());
        ImageIO.write(TestModels.cells(17, 1, false).get(0), "png", good2.toFile());
        Path text = Files.writeString(tmp.resolve("notes.png"), "not an image");
        byte[] png = Files.readAllBytes(good1);
        Path truncated = Files.write(tmp.resolve("cut.png"), java.util.Arrays.copyOf(png, png.length / 2));
        Path missing = tmp.resolve("missing.png");

        List<FileResult> results = classifier.predictFiles(List.of(good1, text, truncated, missing, good2), false);

        assertThat(results).extracting(FileResult::file).containsExactly(good1, text, truncated, missing, good2);
        assertThat(results.get(0).prediction().orElseThrow().label()).isEqualTo("Parasitized");
        assertThat(results.get(4).prediction().orElseThrow().label()).isEqualTo("Uninfected");
        assertThat(results.get(1).error().orElseThrow()).contains(text.toString()).contains("not an image");
        assertThat(results.get(2).error().orElseThrow()).contains(truncated.toString()).contains("truncated or corrupt");
        assertThat(results.get(3).error().orElseThrow()).contains(missing.toString()).contains("does not exist");
        assertThat(results.subList(1, 4)).noneMatch(FileResult::ok);
    }

    @Test
    void logitsOfFilesMatchPreparedImagesAndViewZeroIsThePlainImage() throws Exception {
        List<BufferedImage> cells = TestModels.cells(7, 5, true);
        List<Path> files = new ArrayList<>();
        List<byte[]> prepared = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            Path file = tmp.resolve("cell" + i + ".png");
            ImageIO.write(cells.get(i), "png", file.toFile());
            files.add(file);
            prepared.add(classifier.prepare(ImageIO.read(file.toFile())));
        }
        List<Integer> progress = new ArrayList<>();
        float[][][] tta = classifier.logitsOfFiles(files, true, 2, progress::add);
        float[][][] plain = classifier.logits(prepared, false, 3);
        assertThat(progress).containsExactly(2, 2, 1);
        for (int i = 0; i < files.size(); i++) {
            assertThat(tta[i]).hasNumberOfRows(CellClassifier.TTA_VIEWS);
            assertThat(plain[i]).hasNumberOfRows(1);
            for (int c = 0; c < 2; c++) {
                assertThat(tta[i][0][c]).isCloseTo(plain[i][0][c], within(1e-4f));
            }
        }
    }

    @Test
    void logitsOfFilesStopAtAnUnreadableFileNamingIt() throws IOException {
        Path good = tmp.resolve("good.png");
        ImageIO.write(TestModels.cells(3, 1, false).get(0), "png", good.toFile());
        Path text = Files.writeString(tmp.resolve("notes.png"), "not an image");
        assertThatThrownBy(() -> classifier.logitsOfFiles(List.of(good, text), false, 8, n -> { }))
                .isInstanceOf(org.smearscan.data.UnreadableImageException.class)
                .hasMessageStartingWith(text.toString());
    }

    @Test
    void greyAndAlphaImagesAreClassifiedLikeRgb() {
        BufferedImage rgb = TestModels.cells(18, 1, true).get(0);
        BufferedImage argb = new BufferedImage(rgb.getWidth(), rgb.getHeight(), BufferedImage.TYPE_INT_ARGB);
        argb.getGraphics().drawImage(rgb, 0, 0, null);
        assertThat(classifier.predict(argb).parasitizedProbability())
                .isCloseTo(classifier.predict(rgb).parasitizedProbability(), within(1e-5));
        BufferedImage grey = new BufferedImage(40, 40, BufferedImage.TYPE_BYTE_GRAY);
        assertThat(classifier.predict(grey).probabilities()).hasSize(2);
    }

    @Test
    void closedClassifierRefusesWork() throws IOException {
        CellClassifier other = CellClassifier.load(TestModels.trained());
        other.close();
        other.close();
        assertThatThrownBy(() -> other.predict(TestModels.cells(19, 1, true).get(0)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    private static double logit(double p) {
        return Math.log(p / (1 - p));
    }
}
