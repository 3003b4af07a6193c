package org.smearscan.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smearscan.testing.SyntheticCells;

class SplitFileTest {
    @TempDir
    Path tmp;
    CellDataset dataset;

    @BeforeEach
    void data() throws IOException {
        dataset = CellDataset.scan(SyntheticCells.writeDataset(tmp.resolve("cells"), 12, 4));
    }

    @Test
    void aSplitFileThatRecordedTheOlderFingerprintWithTimesStillMatches() throws IOException {
        Path file = tmp.resolve("old/split.tsv");
        SplitFile.write(file, Split.byDonor(dataset.images(), 0.25, 3), dataset);
        String text = Files.readString(file);
        Files.writeString(file, text.replace("# dataset\t" + dataset.fingerprint(), "# dataset\t" + dataset.fileStamp()));

        SplitFile read = SplitFile.read(file);

        assertThat(read.datasetFingerprint()).isEqualTo(dataset.fileStamp());
        assertThat(read.matches(dataset)).isTrue();
        Files.writeString(file, text.replace("# dataset\t" + dataset.fingerprint(), "# dataset\t" + "0".repeat(64)));
        assertThat(SplitFile.read(file).matches(dataset)).isFalse();
    }

    @Test
    void roundTripGivesTheSameSplit() throws IOException {
        Split split = Split.byDonor(dataset.images(), 0.25, 3);
        Path file = tmp.resolve("runs/split.tsv");
        String sha = SplitFile.write(file, split, dataset);
        assertThat(sha).isEqualTo(SplitFile.fingerprint(file)).hasSize(64);
        SplitFile read = SplitFile.read(file);
        assertThat(read.description()).isEqualTo(split.description());
        assertThat(read.datasetFingerprint()).isEqualTo(dataset.fingerprint());
        assertThat(read.matches(dataset)).isTrue();
        assertThat(read.classes()).containsExactly("Parasitized", "Uninfected");
        assertThat(read.entries()).hasSize(24);
        Split back = read.resolve(dataset);
        assertThat(back.train()).containsExactlyInAnyOrderElementsOf(split.train());
        assertThat(back.valid()).containsExactlyInAnyOrderElementsOf(split.valid());
        assertThat(read.paths(SplitFile.VALID)).hasSize(split.valid().size())
                .allSatisfy(p -> assertThat(p).doesNotContain("\\").doesNotStartWith("/"));
        // Writing the same split again gives the same bytes: a stable provenance hash.
        assertThat(SplitFile.write(tmp.resolve("again.tsv"), split, dataset)).isEqualTo(sha);
        try (var files = Files.list(file.getParent())) {
            assertThat(files).as("no temporary file left").hasSize(1);
        }
    }

    @Test
    void theFileIsReadableTsv() throws IOException {
        Path file = tmp.resolve("split.tsv");
        SplitFile.write(file, Split.random(dataset.images(), 0.5, 1), dataset);
        List<String> lines = Files.readAllLines(file);
        assertThat(lines.get(0)).isEqualTo("# smearscan split v1");
        assertThat(lines).contains("path\tclass\tdonor\tside");
        assertThat(lines.get(lines.size() - 1)).matches("Uninfected/C\\d+NThinF_\\S+\\.png\tUninfected\tC\\d+\t(train|valid)");
    }

    @Test
    void resolvingAgainstOtherDataNamesTheMissingImages() throws IOException {
        Path file = tmp.resolve("split.tsv");
        SplitFile.write(file, Split.random(dataset.images(), 0.5, 1), dataset);
        CellDataset other = CellDataset.scan(SyntheticCells.writeDataset(tmp.resolve("other"), 3, 9));
        SplitFile read = SplitFile.read(file);
        assertThat(read.matches(other)).isFalse();
        assertThatThrownBy(() -> read.resolve(other)).isInstanceOf(IOException.class)
                .hasMessageContaining("images of the split file are not in the data set");
    }

    @Test
    void damagedFilesGiveLineNumbers() throws IOException {
        Path file = tmp.resolve("split.tsv");
        SplitFile.write(file, Split.random(dataset.images(), 0.5, 1), dataset);
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(file));
        lines.set(7, lines.get(7).replace("\ttrain", "\tholdout").replace("\tvalid", "\tholdout"));
        Files.write(file, lines);
        assertThatThrownBy(() -> SplitFile.read(file)).hasMessageContaining("line 8").hasMessageContaining("holdout");
        Files.writeString(file, "path\tclass\n");
        assertThatThrownBy(() -> SplitFile.read(file)).hasMessageContaining("not a SmearScan split file");
    }
}
