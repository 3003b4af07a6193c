package org.smearscan.field;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smearscan.inference.CellClassifier;
import org.smearscan.testing.SyntheticFields;
import org.smearscan.testing.TestModels;

class FieldBatchTest {
    @TempDir
    Path tmp;

    @Test
    void badInputsAreListedWithTheirReasonsAndTheRestIsScreened() throws IOException {
        Path a = SyntheticFields.write(tmp.resolve("s1/a.png"), 1, 640, 480);
        Path broken = Files.writeString(tmp.resolve("s1/broken.png"), "not a png");
        Path tiny = Files.createDirectories(tmp.resolve("s2")).resolve("tiny.png");
        ImageIO.write(SyntheticFields.gridField(2, 64, 64).image(), "png", tiny.toFile());
        Path missing = tmp.resolve("s2/missing.png");
        Path dangling = tmp.resolve("s2/gone.png");
        try {
            Files.createSymbolicLink(dangling, tmp.resolve("nowhere.png"));
        } catch (UnsupportedOperationException | IOException e) {
            assumeTrue(false, "symbolic links cannot be made here: " + e);
        }
        Path b = SyntheticFields.write(tmp.resolve("s2/b.png"), 3, 640, 480);
        List<String> sunk = new ArrayList<>();
        ScreenRun run;
        try (CellClassifier classifier = CellClassifier.load(TestModels.trained())) {
            run = new FieldBatch(FieldScreener.of(classifier), SlideGrouping.FOLDER).run(
                    List.of(a, broken, tiny, missing, dangling, b), (file, image) -> sunk.add(file.file().getFileName()
                            + (image == null ? ":none" : ":" + image.getWidth())));
            assertThat(run.modelId()).isEqualTo(classifier.modelId());
        }
        assertThat(sunk).containsExactly("a.png:640", "broken.png:none", "tiny.png:none", "missing.png:none",
                "gone.png:none", "b.png:640");
        assertThat(run.files()).extracting(ScreenedFile::isScreened).containsExactly(true, false, false, false, false, true);
        assertThat(run.files().get(1).error()).isEqualTo(broken + " is not an image in a format SmearScan reads (PNG, JPEG, BMP, GIF)");
        assertThat(run.files().get(2).error()).startsWith(tiny + ": 64 x 64 pixels is not a smear field");
        assertThat(run.files().get(3).error()).isEqualTo(missing + " does not exist");
        assertThat(run.files().get(4).error()).isEqualTo(dangling + " is a broken symbolic link (its target does not exist)");
        assertThat(run.screened()).extracting(f -> f.result().name()).containsExactly(a.toString(), b.toString());
        assertThat(run.screened()).allSatisfy(f -> assertThat(f.result().countedCells()).isGreaterThan(25));

        List<SlideResult> slides = run.slides();
        assertThat(slides).extracting(SlideResult::slide).containsExactly("s1", "s2");
        assertThat(slides.get(0).fields()).hasSize(1);
        assertThat(run.problemsOf("s1")).isEqualTo(1);
        assertThat(run.problemsOf("s2")).isEqualTo(3);
        assertThat(slides.get(1).countedCells()).isEqualTo(run.files().get(5).result().countedCells());
    }

    @Test
    void aSlideWithNoScreenableFieldIsKeptEmpty() {
        ScreenRun run = new ScreenRun(List.of(ScreenedFile.failed(Path.of("x/a.png"), "x", "x/a.png does not exist")),
                SlideGrouping.FOLDER, "m");
        assertThat(run.slides()).singleElement().satisfies(s -> {
            assertThat(s.fields()).isEmpty();
            assertThat(s.parasitemia().isDefined()).isFalse();
        });
        assertThat(run.problems()).hasSize(1);
        assertThat(run.screened()).isEmpty();
    }

    @Test
    void aFileIsEitherScreenedOrHasAnError() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ScreenedFile(Path.of("a.png"), "a", null, null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
