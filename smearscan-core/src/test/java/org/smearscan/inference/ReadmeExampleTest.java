package org.smearscan.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smearscan.testing.TestModels;

/** Runs the README's Java API example as written there (only the file locations differ). */
class ReadmeExampleTest {
    @TempDir
    Path tmp;

    @Test
    void readmeExampleRuns() throws IOException {
        Path modelFile = TestModels.trained();
        File cellFile = tmp.resolve("cell.png").toFile();
        ImageIO.write(TestModels.cells(1, 1, true).get(0), "png", cellFile);
        List<BufferedImage> images = TestModels.cells(2, 3, false);
        List<Path> files = List.of(cellFile.toPath(), tmp.resolve("missing.png"));
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8);

        // --- README: Java API ---
        try (CellClassifier classifier = CellClassifier.load(modelFile)) {
            Prediction p = classifier.predict(ImageIO.read(cellFile));
            out.printf("%s %.3f (P(Parasitized) %.3f, threshold %.2f, model %s)%n",
                    p.label(), p.probability(), p.parasitizedProbability(), p.threshold(), p.modelId());

            List<Prediction> batch = classifier.predictAll(images);        // batched forward passes
            out.println(batch.size() + " images, first: " + batch.get(0).label());

            for (FileResult r : classifier.predictFiles(files, true)) {     // true = TTA; bad files reported
                out.println(r.file().getFileName() + ": "
                        + r.prediction().map(Prediction::label).orElseGet(() -> r.error().orElseThrow()));
            }
        }
        // --- end ---

        String text = captured.toString(StandardCharsets.UTF_8);
        // The snippet's output format, not the tiny test model's call on one image: its quality is checked
        // in CellClassifierTest, and its training is not bit-for-bit repeatable across test orders.
        assertThat(text).matches("(?s)(Parasitized|Uninfected) [01]\\.\\d{3} \\(P\\(Parasitized\\) .*")
                .containsPattern("3 images, first: (Parasitized|Uninfected)")
                .containsPattern("cell.png: (Parasitized|Uninfected)").contains("missing.png: ").contains("does not exist");
        assertThat(Files.exists(cellFile.toPath())).isTrue();
    }
}
