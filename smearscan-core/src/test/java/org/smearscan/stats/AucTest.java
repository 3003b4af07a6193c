package org.smearscan.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class AucTest {
    @Test
    void countsCorrectlyOrderedPairs() {
        // Positives 0.9, 0.8, 0.6, 0.4 against 6 negatives: above 6, 6, 5 (all but 0.7) and 4 -> 21/24.
        double[] p = {0.90, 0.80, 0.70, 0.60, 0.55, 0.40, 0.30, 0.20, 0.10, 0.05};
        boolean[] y = {true, true, false, true, false, true, false, false, false, false};
        assertThat(Auc.of(p, y)).isCloseTo(0.875, within(1e-12));
    }

    @Test
    void tiesCountHalf() {
        // Positive 0.8: tie with negative 0.8 (1/2) + above 0.5, 0.5, 0.2 (3) = 3.5.
        // Positive 0.5: ties with two 0.5 (1/2 + 1/2) + above 0.2 (1) = 2. AUC = 5.5 / 8.
        double[] p = {0.8, 0.8, 0.5, 0.5, 0.5, 0.2};
        boolean[] y = {true, false, true, false, false, false};
        assertThat(Auc.of(p, y)).isEqualTo(0.6875);
        // Order in the arrays does not matter.
        assertThat(Auc.of(new double[] {0.2, 0.5, 0.8, 0.5, 0.8, 0.5}, new boolean[] {false, false, false, true, true,
                false})).isEqualTo(0.6875);
        // All scores equal: every pair is a tie.
        assertThat(Auc.of(new double[] {0.5, 0.5, 0.5}, new boolean[] {true, false, false})).isEqualTo(0.5);
    }

    @Test
    void singlePrecisionScoresGiveTheSameArea() {
        float[] p = {0.8f, 0.8f, 0.5f, 0.5f, 0.5f, 0.2f};
        boolean[] y = {true, false, true, false, false, false};
        assertThat(Auc.of(p, y)).isEqualTo(0.6875);
    }

    @Test
    void weightsCountImagesRepeatedly() {
        double[] p = {0.9, 0.6, 0.4, 0.1};
        boolean[] y = {true, false, true, false};
        Auc auc = new Auc(p, y);
        assertThat(auc.value()).isEqualTo(0.75);
        // The positive 0.4 drawn twice and 0.9 not at all: 0.4 beats 0.1 only -> (1 + 1) / (2 * 2).
        assertThat(auc.weighted(new int[] {0, 1, 2, 1})).isEqualTo(0.5);
        // Same as listing the images out.
        assertThat(auc.weighted(new int[] {0, 1, 2, 1}))
                .isEqualTo(Auc.of(new double[] {0.6, 0.4, 0.4, 0.1}, new boolean[] {false, true, true, false}));
    }

    @Test
    void undefinedWithoutBothClasses() {
        assertThat(Auc.of(new double[] {0.3, 0.7}, new boolean[] {true, true})).isNaN();
        assertThat(Auc.of(new double[0], new boolean[0])).isNaN();
        assertThat(new Auc(new double[] {0.3, 0.7}, new boolean[] {true, false}).weighted(new int[] {1, 0})).isNaN();
    }

    @Test
    void notANumberScoresTieAboveEveryNumber() {
        double[] p = {Double.NaN, Double.NaN, 0.2, 0.9};
        boolean[] y = {true, false, false, true};
        // NaN positive: tie with NaN (1/2) + above 0.2 (1); 0.9 positive: above 0.2 (1) -> 2.5 / 4.
        assertThat(Auc.of(p, y)).isEqualTo(0.625);
    }

    @Test
    void mismatchedLengthsAreRejected() {
        assertThatThrownBy(() -> Auc.of(new double[2], new boolean[3])).isInstanceOf(IllegalArgumentException.class);
    }
}
