package org.smearscan.field.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smearscan.field.ScreenRun;
import org.smearscan.field.ScreenedFile;
import org.smearscan.field.SlideGrouping;
import org.smearscan.testing.SyntheticFields;

class ScreenFolderTest {
    @TempDir
    Path tmp;

    @Test
    void aNonEmptyFolderOrAFileIsRefusedAndAnEmptyOneTaken() throws IOException {
        Path full = Files.createDirectories(tmp.resolve("full"));
        Files.writeString(full.resolve("old.csv"), "x");
        assertThatThrownBy(() -> ScreenFolder.create(full)).isInstanceOf(IOException.class)
                .hasMessageContaining("is not empty");
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertThatThrownBy(() -> ScreenFolder.create(file)).hasMessageContaining("is a file");
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertThat(ScreenFolder.create(empty).dir()).isEqualTo(empty);
        assertThat(ScreenFolder.create(tmp.resolve("new/deep")).dir()).isDirectory();
    }

    @Test
    void picturesAsFieldsArriveAndTablesAndReportAtTheEnd() throws IOException {
        BufferedImage image = SyntheticFields.gridField(5, 640, 480).image();
        ScreenRun hand = ScreenRuns.twoSlides();
        // the same field name twice, from two folders: the second overlay is numbered
        ScreenRun run = new ScreenRun(Stream.concat(hand.files().stream(), Stream.of(ScreenedFile.screened(
                Path.of("s3/a.png"), "s3", ScreenRuns.field("s3/a.png", 3, 1)))).toList(), SlideGrouping.FOLDER, "m");
        ScreenFolder folder = ScreenFolder.create(tmp.resolve("out"));
        for (ScreenedFile f : run.files()) {
            folder.accept(f, f.isScreened() ? image : null);
        }
        folder.finish(run);

        Path out = tmp.resolve("out");
        for (String name : List.of("fields.csv", "slides.csv", "cells.csv", "screen.json", "report.html",
                "overlays/a.png", "overlays/b.png", "overlays/d.png", "overlays/a-2.png")) {
            assertThat(out.resolve(name)).isNotEmptyFile();
        }
        assertThat(folder.overlays()).containsEntry(Path.of("s3/a.png"), "overlays/a-2.png").hasSize(4);
        try (Stream<Path> gallery = Files.list(out.resolve("gallery"))) {
            // a: 2 infected (cells 7 and 8), s3/a: 1 (cell 4)
            assertThat(gallery.map(p -> p.getFileName().toString()).sorted())
                    .containsExactly("a-2-cell4.png", "a-cell7.png", "a-cell8.png");
        }
        BufferedImage crop = ImageIO.read(out.resolve("gallery/a-cell8.png").toFile());
        assertThat(crop.getWidth()).isBetween(90, 110);
        assertThat(Files.readString(out.resolve("screen.json"))).isEqualTo(FieldTables.withOverlays(run, folder.overlays()).json());
        String html = Files.readString(out.resolve("report.html"));
        assertThat(SlideReportTest.images(html)).containsExactlyInAnyOrder("gallery/a-cell7.png", "gallery/a-cell8.png",
                "gallery/a-2-cell4.png");
        try (Stream<Path> all = Files.walk(out)) {
            assertThat(all.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }
}
