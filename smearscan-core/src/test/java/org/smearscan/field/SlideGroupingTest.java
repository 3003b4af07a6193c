package org.smearscan.field;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlideGroupingTest {

    @Test
    void eachFieldIsItsOwnSlideUnlessFoldersAreSlides() {
        List<Path> files = List.of(Path.of("runs/s1/a.png"), Path.of("runs/s1/b.png"), Path.of("runs/s2/a.png"));
        assertThat(SlideGrouping.FIELD.slidesOf(files)).containsExactly("runs/s1/a.png", "runs/s1/b.png", "runs/s2/a.png");
        assertThat(SlideGrouping.FOLDER.slidesOf(files)).containsExactly("s1", "s1", "s2");
    }

    @Test
    void twoFoldersOfOneNameAreToldApartByTheirPaths() {
        List<Path> files = List.of(Path.of("x/slide/a.png"), Path.of("y/slide/a.png"), Path.of("y/slide/b.png"),
                Path.of("z/other/c.png"));
        assertThat(SlideGrouping.FOLDER.slidesOf(files)).containsExactly("x/slide", "y/slide", "y/slide", "other");
    }

    @Test
    void aFileWithoutAFolderIsInTheCurrentOne() {
        String here = Path.of("").toAbsolutePath().getFileName().toString();
        assertThat(SlideGrouping.FOLDER.slidesOf(List.of(Path.of("a.png"), Path.of("./b.png")))).containsExactly(here, here);
    }
}
