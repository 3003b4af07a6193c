package org.smearscan.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.smearscan.testing.RepositoryPaths;

/** The developers' copy of the NIH images, when present. Reads directory entries only, no pixels. */
class RealDataTest {
    static final Path DATA = RepositoryPaths.SHARED_DATA;
    static CellDataset dataset;

    @BeforeAll
    static void scan() throws IOException {
        assumeTrue(Files.isDirectory(DATA.resolve("cell_images")),
                "skipped: the real images are not at " + DATA.toAbsolutePath().normalize().resolve("cell_images"));
        dataset = CellDataset.scan(DATA.resolve("cell_images"));
    }

    @Test
    void countsClassesAndDonors() {
        assertThat(dataset.classes()).containsExactly("Parasitized", "Uninfected");
        assertThat(dataset.countsPerClass()).containsExactly(10_284, 10_272);
        assertThat(dataset.donors()).hasSize(150);
        assertThat(dataset.imagesWithoutDonorId()).isZero();
    }

    @Test
    void donorsAgreeWithTheManifest() throws IOException {
        Path manifest = DATA.resolve("MANIFEST.tsv");
        assumeTrue(Files.exists(manifest), "skipped: no MANIFEST.tsv");
        Map<String, String> expected = new HashMap<>();
        List<String> lines = Files.readAllLines(manifest);
        for (String line : lines.subList(1, lines.size())) {
            String[] cols = line.split("\t");
            expected.put(cols[0], cols[1]);
        }
        Map<String, String> actual = new HashMap<>();
        for (CellImage image : dataset.images()) {
            actual.put(dataset.relativePath(image), image.donor());
        }
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void donorSplitKeepsEachDonorOnOneSide() {
        Split split = Split.byDonor(dataset.images(), 0.2, 42);
        assertThat(split.sharedDonors()).isEmpty();
        assertThat(split.train().size() + split.valid().size()).isEqualTo(20_556);
        assertThat((double) split.valid().size() / 20_556).isBetween(0.18, 0.22);
        int[] validCounts = Split.countsPerClass(split.valid(), 2);
        assertThat(validCounts[0]).isPositive();
        assertThat(validCounts[1]).isPositive();
    }
}
