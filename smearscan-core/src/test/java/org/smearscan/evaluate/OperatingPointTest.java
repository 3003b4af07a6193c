package org.smearscan.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class OperatingPointTest {

    @Test
    void findsTheHighestThresholdThatReachesTheTargetSensitivity() {
        // Positives score 0.9, 0.8, 0.6, 0.4. 75% sensitivity needs 3 of 4 called: threshold 0.6.
        // Negatives 0.7, 0.55, 0.3, 0.2, 0.1, 0.05: at 0.6 only 0.7 is called positive, so TN = 5 of 6.
        OperatingPoint op = OperatingPoint.forSensitivity(MetricsTest.P, MetricsTest.Y, 0.75);
        assertThat(op.threshold()).isEqualTo(0.6);
        assertThat(op.sensitivity().value()).isEqualTo(0.75);
        assertThat(op.specificity().value()).isCloseTo(5.0 / 6, within(1e-12));
        assertThat(op.confusion()).isEqualTo(new Confusion(3, 1, 5, 1));
        // 98% of 4 positives needs all 4: threshold 0.4, where 0.7 and 0.55 are false positives.
        OperatingPoint strict = OperatingPoint.forSensitivity(MetricsTest.P, MetricsTest.Y, 0.98);
        assertThat(strict.threshold()).isEqualTo(0.4);
        assertThat(strict.sensitivity().value()).isEqualTo(1.0);
        assertThat(strict.specificity().value()).isCloseTo(4.0 / 6, within(1e-12));
    }

    @Test
    void anExactlyReachableTargetIsNotRoundedUpByFloatingPoint() {
        // 0.98 * 50 is 49.000000000000004 in floating point; 49 of 50 positives is exactly 98%.
        double[] p = new double[50];
        boolean[] y = new boolean[50];
        for (int i = 0; i < 50; i++) {
            p[i] = (i + 1) / 51.0;
            y[i] = true;
        }
        OperatingPoint op = OperatingPoint.forSensitivity(p, y, 0.98);
        assertThat(op.confusion().truePositives()).isEqualTo(49);
        assertThat(op.threshold()).isEqualTo(2 / 51.0);
    }

    @Test
    void appliesAGivenThreshold() {
        OperatingPoint op = OperatingPoint.at(MetricsTest.P, MetricsTest.Y, 0.5);
        assertThat(op.confusion()).isEqualTo(new Confusion(3, 2, 4, 1));
        assertThat(op.targetSensitivity()).isNaN();
        // Wilson 3/4 = [0.300642, 0.954413].
        assertThat(op.sensitivity().lo()).isCloseTo(0.300642, within(1e-6));
    }

    @Test
    void refusesATargetWithoutPositives() {
        assertThatThrownBy(() -> OperatingPoint.forSensitivity(new double[] {0.1}, new boolean[] {false}, 0.98))
                .hasMessageContaining("no positive images");
        assertThatThrownBy(() -> OperatingPoint.forSensitivity(MetricsTest.P, MetricsTest.Y, 1.5))
                .hasMessageContaining("(0, 1]");
    }
}
