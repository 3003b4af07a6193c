package org.smearscan.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.smearscan.testing.SyntheticCells;
import org.smearscan.testing.TestModels;

/** A model with an out-of-distribution score: cells are judged, other things are not. */
class OutOfDistributionTest {
    private static BufferedImage text(String words) {
        BufferedImage image = new BufferedImage(96, 96, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 96, 96);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 22));
        g.drawString(words, 4, 55);
        g.dispose();
        return image;
    }

    @Test
    void generatedCellsAreJudgedAndNoiseAndTextAreNot() throws IOException {
        List<BufferedImage> cells = new ArrayList<>(TestModels.cells(41, 20, true));
        cells.addAll(TestModels.cells(42, 20, false));
        List<BufferedImage> others = List.of(SyntheticCells.noise(31, 64), SyntheticCells.noise(32, 40), text("slide 12"),
                text("Giemsa"));
        try (CellClassifier classifier = CellClassifier.load(TestModels.trainedWithOod());
                CellClassifier without = CellClassifier.load(TestModels.trained())) {
            List<Prediction> onCells = classifier.predictAll(cells);
            assertThat(onCells).allMatch(p -> !Double.isNaN(p.oodScore()));
            assertThat(onCells.stream().filter(Prediction::isJudged).count()).as("cells judged")
                    .isGreaterThanOrEqualTo(cells.size() - 2);
            List<Prediction> onOthers = classifier.predictAll(others);
            assertThat(onOthers).as("noise and text are not cells").allMatch(p -> !p.isJudged())
                    .allMatch(p -> p.status() == Prediction.Status.NOT_A_CELL);
            // the same network gives the same calls: the score only adds a status
            List<Prediction> plain = without.predictAll(others);
            for (int i = 0; i < others.size(); i++) {
                assertThat(onOthers.get(i).parasitizedProbability()).isEqualTo(plain.get(i).parasitizedProbability());
                assertThat(plain.get(i).isJudged()).as("a model without the score judges everything").isTrue();
                assertThat(plain.get(i).oodScore()).isNaN();
            }

            DistributionShift shift = new DistributionShift();
            onCells.forEach(shift::add);
            assertThat(shift.warning()).as("a batch of cells raises no warning").isEmpty();
            onOthers.forEach(shift::add);
            onOthers.forEach(shift::add);
            long flaggedCells = onCells.stream().filter(p -> !p.isJudged()).count();
            assertThat(shift.warning()).hasValueSatisfying(w -> assertThat(w).contains("(" + (8 + flaggedCells) + " of 48)")
                    .contains("unlike the cells this model was trained on"));
        }
    }

    @Test
    void theOnnxRuntimeEngineGivesTheSameScoresAndStatuses() throws IOException {
        List<BufferedImage> images = new ArrayList<>(TestModels.cells(43, 6, true));
        images.add(SyntheticCells.noise(33, 50));
        images.add(text("ID 4471"));
        try (CellClassifier pytorch = CellClassifier.load(TestModels.trainedWithOod());
                CellClassifier ort = CellClassifier.load(TestModels.trainedWithOod(), EngineKind.ONNXRUNTIME)) {
            List<Prediction> a = pytorch.predictAll(images);
            List<Prediction> b = ort.predictAll(images);
            for (int i = 0; i < images.size(); i++) {
                assertThat(b.get(i).status()).isEqualTo(a.get(i).status());
                assertThat(b.get(i).oodScore()).isCloseTo(a.get(i).oodScore(),
                        org.assertj.core.data.Percentage.withPercentage(0.1));
            }
        }
    }
}
