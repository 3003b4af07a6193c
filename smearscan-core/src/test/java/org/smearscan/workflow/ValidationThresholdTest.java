package org.smearscan.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ValidationThresholdTest {

    @Test
    void separatesThePositivesWhenTheyCanBeSeparated() {
        double[] p = {0.95, 0.9, 0.6, 0.4, 0.3, 0.1};
        boolean[] y = {true, true, false, false, false, false};
        assertThat(ValidationThreshold.bestF1(new ValidationThreshold.Scored(p, y))).isEqualTo(0.75);
    }

    @Test
    void prefersFewerFalseCallsToOneMoreTrueOneWhenF1SaysSo() {
        // calling the top 2 gives F1 2*2/(2+3) = 0.8; the top 5 (3 true, 2 false) gives 2*3/(5+3) = 0.75
        double[] p = {0.99, 0.98, 0.7, 0.6, 0.5, 0.1};
        boolean[] y = {true, true, false, false, true, false};
        assertThat(ValidationThreshold.bestF1(new ValidationThreshold.Scored(p, y))).isEqualTo((0.98 + 0.7) / 2);
    }

    @Test
    void neverSplitsEqualProbabilities() {
        double[] p = {0.9, 0.5, 0.5, 0.2};
        boolean[] y = {true, true, false, false};
        double t = ValidationThreshold.bestF1(new ValidationThreshold.Scored(p, y));
        assertThat(t).isNotEqualTo(0.5);
    }

    @Test
    void withoutPositivesTheThresholdIsOneHalf() {
        double[] p = {0.9, 0.1};
        boolean[] y = {false, false};
        assertThat(ValidationThreshold.bestF1(new ValidationThreshold.Scored(p, y))).isEqualTo(0.5);
    }
}
