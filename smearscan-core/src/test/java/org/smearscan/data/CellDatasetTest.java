package org.smearscan.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smearscan.io.FolderLoopException;
import org.smearscan.testing.SyntheticCells;

class CellDatasetTest {
    @TempDir
    Path tmp;

    @Test
    void nihLayout() throws IOException {
        Path root = SyntheticCells.writeDataset(tmp.resolve("cell_images"), 10, 1);
        CellDataset dataset = CellDataset.scan(root);
        assertThat(dataset.root()).isEqualTo(root.toAbsolutePath());
        assertThat(dataset.classes()).containsExactly("Parasitized", "Uninfected");
        assertThat(dataset.countsPerClass()).containsExactly(10, 10);
        assertThat(dataset.images()).allSatisfy(image -> assertThat(image.label())
                .isEqualTo(image.path().getParent().getFileName().toString().equals("Parasitized") ? 0 : 1));
        assertThat(dataset.donors()).containsExactlyInAnyOrder("P1", "P2", "C1", "C2");
        assertThat(dataset.skipped()).isEmpty();
        assertThat(dataset.isPreSplit()).isFalse();
        assertThat(dataset.relativePath(dataset.images().get(0))).startsWith("Parasitized/C10");
    }

    @Test
    void kaggleNestedDuplicateIsCountedOnce() throws IOException {
        Path top = tmp.resolve("kaggle");
        Path cellImages = SyntheticCells.writeDataset(top.resolve("cell_images"), 6, 2);
        SyntheticCells.writeDataset(cellImages.resolve("cell_images"), 6, 2);
        for (Path root : new Path[] {top, cellImages}) {
            CellDataset dataset = CellDataset.scan(root);
            assertThat(dataset.root()).isEqualTo(cellImages.toAbsolutePath());
            assertThat(dataset.classes()).containsExactly("Parasitized", "Uninfected");
            assertThat(dataset.countsPerClass()).containsExactly(6, 6);
            assertThat(dataset.notes()).anySatisfy(note -> assertThat(note).contains("nested copy"));
        }
    }

    @Test
    void trainValidTestFolders() throws IOException {
        Path root = tmp.resolve("presplit");
        SyntheticCells.writeDataset(root.resolve("train"), 8, 3);
        SyntheticCells.writeDataset(root.resolve("valid"), 3, 4);
        SyntheticCells.writeDataset(root.resolve("test"), 2, 5);
        CellDataset dataset = CellDataset.scan(root);
        assertThat(dataset.isPreSplit()).isTrue();
        assertThat(dataset.classes()).containsExactly("Parasitized", "Uninfected");
        assertThat(dataset.countsPerClass()).containsExactly(13, 13);
        Split split = Split.folders(dataset);
        assertThat(split.train()).hasSize(16).allSatisfy(i -> assertThat(dataset.folderOf(i)).contains("train"));
        assertThat(split.valid()).hasSize(6).allSatisfy(i -> assertThat(dataset.folderOf(i)).contains("valid"));
        assertThat(dataset.images()).filteredOn(i -> dataset.folderOf(i).orElseThrow().equals("test")).hasSize(4);
    }

    @Test
    void valFolderCountsAsValid() throws IOException {
        Path root = tmp.resolve("presplit");
        SyntheticCells.writeDataset(root.resolve("train"), 4, 3);
        SyntheticCells.writeDataset(root.resolve("val"), 2, 4);
        Split split = Split.folders(CellDataset.scan(root));
        assertThat(split.valid()).hasSize(4);
    }

    @Test
    void foldersSplitNeedsFolders() throws IOException {
        CellDataset dataset = CellDataset.scan(SyntheticCells.writeDataset(tmp.resolve("d"), 3, 1));
        assertThatThrownBy(() -> Split.folders(dataset)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no train/ and valid/ folders");
    }

    @Test
    void nonImagesAreSkippedAndCountedByReason() throws IOException {
        Path root = SyntheticCells.writeDataset(tmp.resolve("cell_images"), 4, 1);
        Files.writeString(root.resolve("Parasitized/Thumbs.db"), "x");
        Files.writeString(root.resolve("Uninfected/Thumbs.db"), "x");
        Files.writeString(root.resolve("Uninfected/.DS_Store"), "x");
        Files.writeString(root.resolve("README.txt"), "about");
        Files.createFile(root.resolve("Uninfected/C9NThinF_empty.png"));
        CellDataset dataset = CellDataset.scan(root);
        assertThat(dataset.countsPerClass()).containsExactly(4, 4);
        assertThat(dataset.skippedByReason()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "not an image file", 2, "hidden file", 1, "not inside a class folder", 1, "empty file", 1));
        assertThat(dataset.skipped()).anySatisfy(s -> assertThat(s.file()).hasFileName("Thumbs.db"));
    }

    @Test
    void fingerprintIsStableAndTracksChanges() throws IOException {
        Path root = SyntheticCells.writeDataset(tmp.resolve("cell_images"), 4, 1);
        String first = CellDataset.scan(root).fingerprint();
        assertThat(CellDataset.scan(root).fingerprint()).isEqualTo(first).hasSize(64);
        Files.writeString(root.resolve("Parasitized/Thumbs.db"), "x");
        assertThat(CellDataset.scan(root).fingerprint()).as("non-images do not count").isEqualTo(first);
        Files.copy(root.resolve("Parasitized").resolve(Files.list(root.resolve("Parasitized"))
                .filter(p -> p.toString().endsWith(".png")).findFirst().orElseThrow().getFileName()),
                root.resolve("Parasitized/C300P77ThinF_copy.png"));
        assertThat(CellDataset.scan(root).fingerprint()).isNotEqualTo(first);
    }

    @Test
    void aCopyWithNewModificationTimesKeepsTheFingerprintButNotTheFileStamp() throws IOException {
        Path root = SyntheticCells.writeDataset(tmp.resolve("original"), 3, 1);
        CellDataset original = CellDataset.scan(root);
        Path copy = tmp.resolve("restored");
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = copy.resolve(root.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target); // a plain copy: new modification times
                    Files.setLastModifiedTime(target,
                            FileTime.fromMillis(Files.getLastModifiedTime(p).toMillis() + 60_000));
                }
            }
        }
        CellDataset restored = CellDataset.scan(copy);

        assertThat(restored.fingerprint()).isEqualTo(original.fingerprint());
        assertThat(restored.fileStamp()).as("cached pixels are keyed on the times too")
                .isNotEqualTo(original.fileStamp()).hasSize(64);
    }

    @Test
    void clearErrorsForMissingOrEmptyFolders() throws IOException {
        assertThatThrownBy(() -> CellDataset.scan(tmp.resolve("nowhere"))).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("nowhere").hasMessageContaining("does not exist");
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertThatThrownBy(() -> CellDataset.scan(empty)).isInstanceOf(IOException.class)
                .hasMessageContaining("holds no class folders");
    }

    @Test
    void greyPaletteAndAlphaImagesBecomeRgbInTheCache() throws Exception {
        Path root = tmp.resolve("colour");
        Files.createDirectories(root.resolve("Parasitized"));
        Files.createDirectories(root.resolve("Uninfected"));
        BufferedImage grey = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                grey.getRaster().setSample(x, y, 0, 128);
            }
        }
        IndexColorModel palette = new IndexColorModel(8, 2, new byte[] {0, (byte) 200}, new byte[] {0, 20},
                new byte[] {0, 90});
        BufferedImage indexed = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_INDEXED, palette);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                indexed.getRaster().setSample(x, y, 0, 1);
            }
        }
        BufferedImage alpha = new BufferedImage(16, 16, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                alpha.setRGB(x, y, x < 8 ? 0x00FFFFFF : 0xFF10E020); // left half fully transparent white
            }
        }
        ImageIO.write(grey, "png", root.resolve("Parasitized/C1P1ThinF_grey.png").toFile());
        ImageIO.write(indexed, "png", root.resolve("Parasitized/C1P1ThinF_palette.png").toFile());
        ImageIO.write(alpha, "png", root.resolve("Uninfected/C2NThinF_alpha.png").toFile());
        CellDataset dataset = CellDataset.scan(root);
        ImageCache cache = ImageCache.builder(dataset.images(), dataset.fileStamp()).size(16)
                .method(ResizeMethod.SQUISH).cacheDir(tmp.resolve("cache")).progress(false).open();
        assertThat(cache.unreadable()).isEmpty();
        byte[] greyPx = cache.pixels(0);
        assertThat(dataset.images().get(0).path()).hasFileName("C1P1ThinF_grey.png");
        assertThat(new int[] {greyPx[0] & 0xff, greyPx[1] & 0xff, greyPx[2] & 0xff}).containsExactly(128, 128, 128);
        byte[] palettePx = cache.pixels(1);
        assertThat(new int[] {palettePx[30] & 0xff, palettePx[31] & 0xff, palettePx[32] & 0xff})
                .containsExactly(200, 20, 90);
        byte[] alphaPx = cache.pixels(2);
        int left = 3 * (8 * 16 + 1);
        int right = 3 * (8 * 16 + 14);
        assertThat(new int[] {alphaPx[left] & 0xff, alphaPx[left + 1] & 0xff, alphaPx[left + 2] & 0xff})
                .as("transparent becomes the black background").containsExactly(0, 0, 0);
        assertThat(new int[] {alphaPx[right] & 0xff, alphaPx[right + 1] & 0xff, alphaPx[right + 2] & 0xff})
                .containsExactly(0x10, 0xE0, 0x20);
    }

    @Test
    void unknownDonorNamesAreCounted() throws IOException {
        Path root = tmp.resolve("plain");
        Files.createDirectories(root.resolve("a"));
        Files.createDirectories(root.resolve("b"));
        ImageIO.write(SyntheticCells.cell(new Random(1), true, 20, 20), "png", root.resolve("a/x1.png").toFile());
        ImageIO.write(SyntheticCells.cell(new Random(2), false, 20, 20), "png", root.resolve("b/x2.png").toFile());
        CellDataset dataset = CellDataset.scan(root);
        assertThat(dataset.imagesWithoutDonorId()).isEqualTo(2);
        assertThat(dataset.donors()).containsExactly("x1.png", "x2.png");
    }

    /** Makes a symbolic link, or skips the test where the file system cannot (e.g. Windows without the right). */
    static Path link(Path link, Path target) throws IOException {
        Files.createDirectories(link.getParent());
        try {
            return Files.createSymbolicLink(link, target);
        } catch (UnsupportedOperationException | IOException e) {
            assumeTrue(false, "symbolic links cannot be made here: " + e);
            throw e;
        }
    }

    private static List<Path> pngs(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.toString().endsWith(".png")).sorted().toList();
        }
    }

    @Test
    void linksToFilesAndToFoldersAreFollowedAndTheLinkNameGivesTheDonor() throws IOException {
        Path store = SyntheticCells.writeDataset(tmp.resolve("store"), 6, 1);
        Path root = tmp.resolve("linked");
        List<Path> parasitized = pngs(store.resolve("Parasitized"));
        for (Path image : parasitized.subList(1, parasitized.size())) {
            link(root.resolve("Parasitized").resolve(image.getFileName()), image); // a folder of links to files
        }
        // the link's own name is what counts, as for ImageFolder: this one names no donor
        link(root.resolve("Parasitized/renamed.png"), parasitized.get(0));
        link(root.resolve("Uninfected"), store.resolve("Uninfected")); // a linked class folder
        link(root.resolve("Parasitized/more"), Files.createDirectories(tmp.resolve("elsewhere"))); // a linked sub-folder
        Files.copy(parasitized.get(0), tmp.resolve("elsewhere/C77P88ThinF_extra.png"));

        CellDataset dataset = CellDataset.scan(root);
        assertThat(dataset.skipped()).isEmpty();
        assertThat(dataset.countsPerClass()).containsExactly(7, 6);
        assertThat(dataset.images()).allSatisfy(image -> assertThat(image.path()).startsWithRaw(root.toAbsolutePath()));
        assertThat(dataset.images().stream().map(dataset::relativePath)).contains("Parasitized/renamed.png",
                "Parasitized/more/C77P88ThinF_extra.png", "Uninfected/" + pngs(store.resolve("Uninfected")).get(0).getFileName());
        CellImage renamed = dataset.images().stream().filter(i -> i.path().endsWith("renamed.png")).findFirst().orElseThrow();
        assertThat(renamed.donor()).isEqualTo("renamed.png");
        assertThat(dataset.donors()).contains("P88", "renamed.png");
        assertThat(dataset.donors()).containsAll(CellDataset.scan(store).donors().stream()
                .filter(d -> !d.equals(Donor.of(parasitized.get(0)))).toList());
        assertThat(CellDataset.scan(root).fingerprint()).isEqualTo(dataset.fingerprint());
    }

    @Test
    void aFolderLinkBackToAFolderThatContainsItIsRefusedNamingTheLink() throws IOException {
        Path root = SyntheticCells.writeDataset(tmp.resolve("cells"), 3, 1);
        Path back = link(root.resolve("Parasitized/sub/back"), root.resolve("Parasitized"));
        assertThatThrownBy(() -> CellDataset.scan(root)).isInstanceOf(FolderLoopException.class)
                .hasMessageContaining("folder loop: " + back.toAbsolutePath())
                .hasMessageContaining("is a symbolic link to " + root.resolve("Parasitized").toRealPath())
                .hasMessageContaining("remove or change the link");

        // a link to the data folder itself, found while looking for the folder the classes are in
        Path lone = Files.createDirectories(tmp.resolve("lone"));
        Path self = link(lone.resolve("self"), lone);
        assertThatThrownBy(() -> CellDataset.scan(lone)).isInstanceOf(FolderLoopException.class)
                .hasMessageContaining("folder loop: " + self.toAbsolutePath());
    }

    @Test
    void aBrokenLinkIsSkippedAsUnreadableWithItsName() throws IOException {
        Path root = SyntheticCells.writeDataset(tmp.resolve("cells"), 3, 1);
        Path dangling = link(root.resolve("Uninfected/C5NThinF_gone.png"), tmp.resolve("nowhere/gone.png"));
        CellDataset dataset = CellDataset.scan(root);
        assertThat(dataset.countsPerClass()).containsExactly(3, 3);
        assertThat(dataset.skippedByReason()).containsExactlyEntriesOf(Map.of("cannot be read: broken symbolic link", 1));
        assertThat(dataset.skipped().get(0).file()).isEqualTo(dangling.toAbsolutePath());
    }
}
