package org.smearscan.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smearscan.io.FolderLoopException;

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

    private static Path link(Path link, Path target) throws IOException {
        Files.createDirectories(link.getParent());
        try {
            return Files.createSymbolicLink(link, target);
        } catch (UnsupportedOperationException | IOException e) {
            assumeTrue(false, "symbolic links cannot be made here: " + e);
            throw e;
        }
    }

    @Test
    void linksToFilesAndFoldersAreFollowedAndKeepTheirOwnPaths() throws IOException {
        Path linked = tmp.resolve("linked");
        Path la = link(linked.resolve("la.png"), a);
        Path lb = link(linked.resolve("sub/lb.jpg"), b);
        link(linked.resolve("folder"), tmp.resolve("cells/Uninfected")); // b, deeper/c, but not ._b or notes
        Path dangling = link(linked.resolve("gone.png"), tmp.resolve("nowhere.png"));
        link(linked.resolve("gone.txt"), tmp.resolve("nowhere.txt"));

        assertThat(InputFiles.expand(List.of(linked.toString()))).as("a dangling image link is kept, to be reported")
                .containsExactly(linked.resolve("folder/b.JPG"), linked.resolve("folder/deeper/c.png"), dangling, la, lb);
        assertThat(InputFiles.expand(List.of(tmp.resolve("cells/Uninfected").toString())))
                .containsExactly(b, c);
        assertThat(InputFiles.expand(List.of(linked + "/**/*.png"))).as("the walk goes through the folder link")
                .containsExactly(linked.resolve("folder/deeper/c.png"));
        assertThat(InputFiles.expand(List.of(linked + "/*.png"))).containsExactly(dangling, la);
        assertThat(InputFiles.expand(List.of(linked.resolve("folder").toString()))).as("a linked folder given by name")
                .containsExactly(linked.resolve("folder/b.JPG"), linked.resolve("folder/deeper/c.png"));
    }

    @Test
    void aFolderLinkBackToAFolderThatContainsItIsRefusedNamingTheLink() throws IOException {
        Path back = link(tmp.resolve("cells/Uninfected/deeper/back"), tmp.resolve("cells"));
        for (String argument : List.of(tmp.resolve("cells").toString(), tmp + "/cells/**/*.png")) {
            assertThatThrownBy(() -> InputFiles.expand(List.of(argument))).as(argument)
                    .isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(FolderLoopException.class)
                    .hasMessageContaining("folder loop: " + back)
                    .hasMessageContaining("is a symbolic link to " + tmp.resolve("cells").toRealPath());
        }
    }
}
