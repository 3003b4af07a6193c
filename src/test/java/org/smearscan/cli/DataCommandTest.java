package org.smearscan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smearscan.data.SplitFile;
import org.smearscan.testing.SyntheticCells;

class DataCommandTest {
    @TempDir
    Path tmp;

    /** Runs the CLI, capturing stdout and stderr. */
    private String[] run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.execute(args);
            return new String[] {String.valueOf(code), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void describesTheDataAndADonorSplit() throws Exception {
        Path root = SyntheticCells.writeDataset(tmp.resolve("cells"), 20, 2);
        Files.writeString(root.resolve("Parasitized/Thumbs.db"), "x");
        Path splitFile = tmp.resolve("split.tsv");
        String[] r = run("data", root.toString(), "--split", "donor", "--valid-pct", "0.25", "--seed", "3",
                "--write-split", splitFile.toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[1]).contains("Classes     2: Parasitized, Uninfected")
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
        String[] r = run("data", root.toString(), "--split", "donor", "--folds", "4", "--fold", "2", "--no-sizes");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[1]).contains("donor-kfold folds=4 fold=2 seed=42").doesNotContain("Image size");
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
        String[] r = run("data", root.toString(), "--no-sizes", "--check", "--size", "24", "--cache-dir",
                tmp.resolve("cache").toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[1]).contains("Decoded     9 images at 24 px (squish)").contains("Unreadable  1 image\n")
                .contains("Uninfected/" + victim.getFileName() + ": is truncated or corrupt");
    }

    @Test
    void badInputGivesOneLineErrors() {
        String[] missing = run("data", tmp.resolve("nowhere").toString());
        assertThat(missing[0]).isEqualTo("1");
        assertThat(missing[2]).contains("smearscan: error:").contains("nowhere").contains("does not exist");
        Path root = SyntheticCells.writeDataset(tmp.resolve("cells"), 4, 2);
        String[] badSplit = run("data", root.toString(), "--split", "stratified");
        assertThat(badSplit[0]).isEqualTo("1");
        assertThat(badSplit[2]).contains("unknown split 'stratified'");
        String[] foldersSplit = run("data", root.toString(), "--split", "folders");
        assertThat(foldersSplit[2]).contains("no train/ and valid/ folders");
    }
}
