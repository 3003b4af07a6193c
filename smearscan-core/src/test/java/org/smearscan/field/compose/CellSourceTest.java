package org.smearscan.field.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smearscan.testing.SyntheticCells;

class CellSourceTest {

    @Test
    void aFolderGivesARandomSampleOfEachClass(@TempDir Path dir) throws IOException {
        Path root = SyntheticCells.writeDataset(dir.resolve("cells"), 10, 1);

        CellSource source = CellSource.fromFolder(root, 4, 7);
        CellSource again = CellSource.fromFolder(root, 4, 7);
        CellSource other = CellSource.fromFolder(root, 4, 8);

        assertThat(source.size()).isEqualTo(8);
        assertThat(source.infected()).hasSize(4).allSatisfy(c -> assertThat(c.infected()).isTrue());
        assertThat(source.uninfected()).hasSize(4).allSatisfy(c -> assertThat(c.infected()).isFalse());
        assertThat(pixels(source.crops())).isEqualTo(pixels(again.crops()));
        assertThat(pixels(source.crops())).isNotEqualTo(pixels(other.crops()));
        assertThat(CellSource.fromFolder(root, 50, 7).size()).as("all there are").isEqualTo(20);
    }

    @Test
    void aMissingClassIsNamed(@TempDir Path dir) throws IOException {
        Path root = SyntheticCells.writeDataset(dir.resolve("cells"), 3, 1);
        try (var files = Files.list(root.resolve("Uninfected"))) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(root.resolve("Uninfected"));

        assertThatThrownBy(() -> CellSource.fromFolder(root, 5, 1)).isInstanceOf(IOException.class)
                .hasMessageContaining("Uninfected").hasMessageContaining(root.getFileName().toString());
    }

    @Test
    void aClassWithoutAUsableCropIsNamed(@TempDir Path dir) throws IOException {
        Path root = SyntheticCells.writeDataset(dir.resolve("cells"), 3, 1);
        try (var files = Files.list(root.resolve("Parasitized"))) {
            for (Path f : files.toList()) {
                ImageIO.write(new BufferedImage(50, 50, BufferedImage.TYPE_INT_RGB), "png", f.toFile());
            }
        }

        assertThatThrownBy(() -> CellSource.fromFolder(root, 5, 1)).isInstanceOf(IOException.class)
                .hasMessageContaining(root.resolve("Parasitized").toString()).hasMessageContaining("no usable cell crop");
    }

    @Test
    void aSourceNeedsACrop() {
        assertThatThrownBy(() -> CellSource.of(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    private static List<List<Integer>> pixels(List<CellCrop> crops) {
        return crops.stream().map(c -> {
            BufferedImage i = c.image();
            return java.util.Arrays.stream(i.getRGB(0, 0, i.getWidth(), i.getHeight(), null, 0, i.getWidth())).boxed().toList();
        }).toList();
    }
}
