package org.smearscan.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ConfidenceIntervalsTest {

    /*
     * Wilson: centre = (p + z²/2n) / (1 + z²/n), half = z / (1 + z²/n) * sqrt(p(1-p)/n + z²/4n²), z = 1.95996.
     * 7/10: z² = 3.84146; 1 + z²/n = 1.384146; centre = (0.7 + 0.192073) / 1.384146 = 0.644493;
     * half = 1.415999 * sqrt(0.021 + 0.0096037) = 0.247715 -> [0.396778, 0.892209].
     */
    @Test
    void wilsonMatchesHandComputedValues() {
        Estimate e = ConfidenceIntervals.wilson(7, 10);
        assertThat(e.value()).isEqualTo(0.7);
        assertThat(e.lo()).isCloseTo(0.396778, within(1e-6));
        assertThat(e.hi()).isCloseTo(0.892209, within(1e-6));
        // The textbook example 95/100 (Newcombe 1998 gives 0.8882 to 0.9785).
        Estimate f = ConfidenceIntervals.wilson(95, 100);
        assertThat(f.lo()).isCloseTo(0.8882, within(1e-4));
        assertThat(f.hi()).isCloseTo(0.9785, within(1e-4));
    }

    @Test
    void wilsonStaysInsideTheUnitIntervalAtTheEdges() {
        // 0/10: centre = 0.192073/1.384146 = 0.138766 = half, so [0, 0.277533]; 10/10 mirrors it.
        Estimate none = ConfidenceIntervals.wilson(0, 10);
        assertThat(none.lo()).isEqualTo(0.0);
        assertThat(none.hi()).isCloseTo(0.277533, within(1e-6));
        Estimate all = ConfidenceIntervals.wilson(10, 10);
        assertThat(all.lo()).isCloseTo(0.722467, within(1e-6));
        assertThat(all.hi()).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void wilsonOfNoTrialsIsUndefined() {
        assertThat(ConfidenceIntervals.wilson(0, 0).isDefined()).isFalse();
    }

    @Test
    void percentileInterpolatesBetweenOrderStatisticsAndSkipsUndefinedSamples() {
        // 0..40 (41 values): position 0.025 * 40 = 1 -> 1; 0.975 * 40 = 39 -> 39. The NaN is dropped.
        double[] samples = new double[42];
        for (int i = 0; i <= 40; i++) {
            samples[i] = 40 - i;
        }
        samples[41] = Double.NaN;
        Estimate e = ConfidenceIntervals.percentile(20, samples);
        assertThat(e.lo()).isEqualTo(1.0);
        assertThat(e.hi()).isEqualTo(39.0);
        // 0..10 (11 values): 0.025 * 10 = 0.25 -> 0.25; 0.975 * 10 = 9.75 -> 9.75.
        double[] small = {5, 3, 1, 0, 2, 4, 6, 8, 10, 9, 7};
        Estimate g = ConfidenceIntervals.percentile(5, small);
        assertThat(g.lo()).isCloseTo(0.25, within(1e-12));
        assertThat(g.hi()).isCloseTo(9.75, within(1e-12));
    }
}
