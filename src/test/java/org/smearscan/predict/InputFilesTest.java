package org.smearscan.predict;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputFilesTest {
    @TempDir
    Path tmp;

    private Path a;
    private Path b;
    private Path c;

    @BeforeEach
    void files() throws IOException {
        a = touch("cells/Parasitized/a.png");
        b = touch("cells/Uninfected/b.JPG");
        c = touch("cells/Uninfected/deeper/c.png");
        touch("cells/Uninfected/notes.txt");
        touch("cells/Uninfected/._b.png");
        touch("cells/.hidden.png");
    }

    private Path touch(String relative) throws IOException {
        Path p = tmp.resolve(relative);
        Files.createDirectories(p.getParent());
        return Files.writeString(p, "x");
    }

    @Test
    void foldersAreSearchedRecursivelyForImagesOnly() {
        assertThat(InputFiles.expand(List.of(tmp.resolve("cells").toString()))).containsExactly(a, b, c);
    }

    @Test
    void globsTheShellLeftAloneAreExpanded() {
        assertThat(InputFiles.expand(List.of(tmp + "/cells/*/*.png"))).containsExactly(a);
        assertThat(InputFiles.expand(List.of(tmp + "/cells/**/*.png"))).containsExactly(a, c);
        assertThat(InputFiles.expand(List.of(tmp + "/cells/Uninfected/*.{png,JPG}"))).containsExactly(b);
        assertThat(InputFiles.expand(List.of(tmp + "/cells/Uninfected/*.txt"))).containsExactly(tmp.resolve("cells/Uninfected/notes.txt"));
        assertThat(InputFiles.expand(List.of(tmp + "/cells/*"))).as("matched folders contribute their images")
                .containsExactly(a, b, c);
        assertThat(InputFiles.expand(List.of(tmp + "/nowhere/*.png"))).isEmpty();
    }

    @Test
    void namedFilesAreKeptEvenWhenMissingAndListedOnce() {
        Path missing = tmp.resolve("missing.png");
        assertThat(InputFiles.expand(List.of(a.toString(), missing.toString(), a.toString(), tmp.resolve("cells").toString())))
                .containsExactly(a, missing, b, c);
    }
}
