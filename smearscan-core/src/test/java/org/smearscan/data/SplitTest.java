package org.smearscan.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Splits of synthetic image lists (no files needed: splits read only paths, labels and donors). */
class SplitTest {

    /** {@code donors} infected donors with both classes and as many healthy ones, sizes 5..40 images. */
    static List<CellImage> images(int donors) {
        List<CellImage> out = new ArrayList<>();
        java.util.Random rnd = new java.util.Random(123);
        for (int d = 1; d <= donors; d++) {
            int n = 5 + rnd.nextInt(36);
            for (int k = 0; k < n; k++) {
                int label = k % 3 == 0 ? 1 : 0;
                String dir = label == 0 ? "Parasitized" : "Uninfected";
                out.add(new CellImage(Path.of(dir, "C" + (100 + d) + "P" + d + "ThinF_cell_" + k + ".png"), label, "P" + d));
            }
            int healthy = 5 + rnd.nextInt(36);
            for (int k = 0; k < healthy; k++) {
                out.add(new CellImage(Path.of("Uninfected", "C" + (300 + d) + "NThinF_cell_" + k + ".png"), 1, "C" + (300 + d)));
            }
        }
        return out;
    }

    @Test
    void randomSplitIsStratifiedAndComplete() {
        List<CellImage> all = images(30);
        Split split = Split.random(all, 0.2, 42);
        int[] total = Split.countsPerClass(all, 2);
        int[] valid = Split.countsPerClass(split.valid(), 2);
        for (int c = 0; c < 2; c++) {
            assertThat(valid[c]).isEqualTo((int) Math.round(total[c] * 0.2));
        }
        assertThat(union(split)).containsExactlyInAnyOrderElementsOf(all);
        assertThat(split.description()).isEqualTo("random valid_pct=0.2 seed=42");
    }

    @Test
    void sameSeedSameSplitWhateverTheInputOrder() {
        List<CellImage> all = images(30);
        List<CellImage> reversed = new ArrayList<>(all);
        java.util.Collections.reverse(reversed);
        assertThat(Split.random(reversed, 0.25, 7)).isEqualTo(Split.random(all, 0.25, 7));
        assertThat(Split.byDonor(reversed, 0.25, 7)).isEqualTo(Split.byDonor(all, 0.25, 7));
        assertThat(Split.donorFold(reversed, 5, 2, 7)).isEqualTo(Split.donorFold(all, 5, 2, 7));
        assertThat(Split.byDonor(all, 0.25, 8).valid()).isNotEqualTo(Split.byDonor(all, 0.25, 7).valid());
    }

    @Test
    void donorSplitIsDisjointNearTheShareAndStratified() {
        List<CellImage> all = images(40);
        for (long seed = 0; seed < 5; seed++) {
            Split split = Split.byDonor(all, 0.2, seed);
            assertThat(split.sharedDonors()).isEmpty();
            assertThat(union(split)).containsExactlyInAnyOrderElementsOf(all);
            double share = (double) split.valid().size() / all.size();
            assertThat(share).as("seed %d", seed).isBetween(0.17, 0.23);
            // both kinds of donor are held out
            assertThat(split.validDonors()).anyMatch(d -> d.startsWith("P")).anyMatch(d -> d.startsWith("C"));
        }
    }

    @Test
    void donorSplitWithFewDonorsKeepsBothSidesNonEmpty() {
        List<CellImage> two = new ArrayList<>();
        for (int k = 0; k < 10; k++) {
            two.add(new CellImage(Path.of("a" + k + ".png"), 0, "P1"));
            two.add(new CellImage(Path.of("b" + k + ".png"), 1, "P2"));
        }
        Split small = Split.byDonor(two, 0.1, 1);
        assertThat(small.valid()).isNotEmpty();
        assertThat(small.train()).isNotEmpty();
        Split large = Split.byDonor(two, 0.9, 1);
        assertThat(large.train()).isNotEmpty();
        assertThat(large.valid()).isNotEmpty();
        assertThatThrownBy(() -> Split.byDonor(two.subList(0, 1), 0.2, 1))
                .hasMessageContaining("at least 2 donors");
    }

    @Test
    void kFoldCoversEveryDonorExactlyOnce() {
        List<CellImage> all = images(23);
        int folds = 5;
        Map<String, Integer> validatedIn = new HashMap<>();
        Set<CellImage> validated = new HashSet<>();
        for (int k = 1; k <= folds; k++) {
            Split split = Split.donorFold(all, folds, k, 3);
            assertThat(split.sharedDonors()).isEmpty();
            assertThat(union(split)).containsExactlyInAnyOrderElementsOf(all);
            for (String donor : split.validDonors()) {
                assertThat(validatedIn.put(donor, k)).as("donor %s in two folds", donor).isNull();
            }
            assertThat(validated.addAll(split.valid())).isTrue();
            double share = (double) split.valid().size() / all.size();
            assertThat(share).isBetween(0.15, 0.25);
        }
        assertThat(validatedIn).hasSize(46);
        assertThat(validated).hasSize(all.size());
    }

    @Test
    void badArgumentsAreRefused() {
        List<CellImage> all = images(5);
        assertThatThrownBy(() -> Split.random(all, 0, 1)).hasMessageContaining("valid_pct");
        assertThatThrownBy(() -> Split.byDonor(all, 1.5, 1)).hasMessageContaining("valid_pct");
        assertThatThrownBy(() -> Split.donorFold(all, 5, 6, 1)).hasMessageContaining("fold must be 1..5");
        assertThatThrownBy(() -> Split.donorFold(all, 1, 1, 1)).hasMessageContaining("at least 2 folds");
        assertThatThrownBy(() -> Split.donorFold(all, 20, 1, 1)).hasMessageContaining("need at least 20 donors");
        assertThatThrownBy(() -> new SplitSpec(SplitSpec.Method.RANDOM, 0.2, 1, 5, 1)).hasMessageContaining("donor split only");
        assertThatThrownBy(() -> SplitSpec.Method.parse("stratified")).hasMessageContaining("random, donor or folders");
    }

    @Test
    void specAppliesTheRightSplit() throws Exception {
        assertThat(SplitSpec.Method.parse("Donor")).isEqualTo(SplitSpec.Method.DONOR);
        List<CellImage> all = images(10);
        assertThat(SplitSpec.donorFold(4, 2, 9).folds()).isEqualTo(4);
        assertThat(Split.donorFold(all, 4, 2, 9).description()).isEqualTo("donor-kfold folds=4 fold=2 seed=9");
    }

    private static List<CellImage> union(Split split) {
        List<CellImage> all = new ArrayList<>(split.train());
        all.addAll(split.valid());
        assertThat(new HashSet<>(all)).hasSize(all.size());
        return all;
    }
}
