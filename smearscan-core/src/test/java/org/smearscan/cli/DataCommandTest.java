package org.smearscan.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smearscan.data.SplitFile;
import org.smearscan.testing.SyntheticCells;

class DataCommandTest {
    @TempDir
    Path tmp;

    @Test
    void describesTheDataAndADonorSplit() throws Exception {
        Path root = SyntheticCells.writeDataset(tmp.resolve("cells"), 20, 2);
        Files.writeString(root.resolve("Parasitized/Thumbs.db"), "x");
        Path splitFile = tmp.resolve("split.tsv");
        CliRun r = CliRun.run("data", root.toString(), "--split", "donor", "--valid-pct", "0.25", "--seed", "3",
                "--write-split", splitFile.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("Classes     2: Parasitized, Uninfected")
                .containsPattern("Parasitized\\s+20").containsPattern("Uninfected\\s+20")
                .contains("Donors      8")
                .containsPattern("width  min \\d+, median \\d+, max \\d+")
                .contains("Skipped     1 file\n").contains("not an image file")
                .contains("Split       donor valid_pct=0.25 seed=3")
                .contains("donors on both sides: 0");
        assertThat(SplitFile.read(splitFile).entries()).hasSize(40);
    }

    @Test
    void kFoldOptions() {
        Path root = SyntheticCells.writeDataset(tmp.resolve("cells"), 20, 2);
        CliRun r = CliRun.run("data", root.toString(), "--split", "donor", "--folds", "4", "--fold", "2", "--no-sizes");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("donor-kfold folds=4 fold=2 seed=42").doesNotContain("Image size");
    }

    @Test
    void checkDecodesEveryImageAndListsTheBadOnes() throws Exception {
        Path root = SyntheticCells.writeDataset(tmp.resolve("cells"), 5, 2);
        Path victim;
        try (var files = Files.list(root.resolve("Uninfected"))) {
            victim = files.sorted().findFirst().orElseThrow();
        }
        byte[] png = Files.readAllBytes(victim);
        Files.write(victim, java.util.Arrays.copyOf(png, png.length / 2));
        CliRun r = CliRun.run("data", root.toString(), "--no-sizes", "--check", "--size", "24", "--cache-dir",
                tmp.resolve("cache").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("Decoded     9 images at 24 px (squish)").contains("Unreadable  1 image\n")
                .contains("Uninfected/" + victim.getFileName() + ": is truncated or corrupt");
    }

    @Test
    void badInputGivesOneLineErrors() {
        CliRun missing = CliRun.run("data", tmp.resolve("nowhere").toString());
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("smearscan: error:").contains("nowhere").contains("does not exist");
        Path root = SyntheticCells.writeDataset(tmp.resolve("cells"), 4, 2);
        CliRun badSplit = CliRun.run("data", root.toString(), "--split", "stratified");
        assertThat(badSplit.code()).isEqualTo(1);
        assertThat(badSplit.err()).contains("unknown split 'stratified'");
        CliRun foldersSplit = CliRun.run("data", root.toString(), "--split", "folders");
        assertThat(foldersSplit.err()).contains("no train/ and valid/ folders");
    }

    private static void link(Path link, Path target) throws IOException {
        Files.createDirectories(link.getParent());
        try {
            Files.createSymbolicLink(link, target);
        } catch (UnsupportedOperationException | IOException e) {
            assumeTrue(false, "symbolic links cannot be made here: " + e);
        }
    }

    @Test
    void aFolderOfLinksIsDescribedAndDecodedLikeTheFilesThemselves() throws Exception {
        Path store = SyntheticCells.writeDataset(tmp.resolve("store"), 5, 2);
        Path root = tmp.resolve("links");
        for (String c : List.of("Parasitized", "Uninfected")) {
            try (Stream<Path> files = Files.list(store.resolve(c))) {
                for (Path f : files.toList()) {
                    link(root.resolve(c).resolve(f.getFileName()), f);
                }
            }
        }
        link(root.resolve("Uninfected/C3NThinF_gone.png"), tmp.resolve("deleted.png"));
        CliRun r = CliRun.run("data", root.toString(), "--check", "--size", "24", "--cache-dir", tmp.resolve("cache").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("Parasitized\\s+5").containsPattern("Uninfected\\s+5")
                .contains("Skipped     1 file\n")
                .containsPattern("cannot be read: broken symbolic link +1  \\(e\\.g\\. Uninfected/C3NThinF_gone\\.png\\)")
                .contains("Decoded     10 images at 24 px").contains("Unreadable  0 images");

        link(root.resolve("Parasitized/up"), root);
        CliRun loop = CliRun.run("data", root.toString(), "--no-sizes");
        assertThat(loop.code()).isEqualTo(1);
        assertThat(loop.err()).startsWith("smearscan: error: folder loop: " + root.resolve("Parasitized/up").toAbsolutePath()
                + " is a symbolic link to " + root.toRealPath() + ", a folder that contains it");
        assertThat(loop.err().lines().count()).isEqualTo(2); // the error and the hint about --verbose
    }
}
