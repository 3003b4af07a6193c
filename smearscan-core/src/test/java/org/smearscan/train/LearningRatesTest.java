package org.smearscan.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LearningRatesTest {
    @Test
    void parsesSingleAndRange() {
        assertThat(LearningRates.parse("3e-3").spread(3)).containsExactly(3e-3, 3e-3, 3e-3);
        assertThat(LearningRates.parse("1e-6:1e-4").isRange()).isTrue();
    }

    @Test
    void refusesTheTutorialsReversedSlice() {
        // the tutorial's slice(1e-4, 1e-5) would give the body the larger rate
        assertThatThrownBy(() -> LearningRates.parse("1e-4:1e-5")).hasMessageContaining("write 1.0E-5:1.0E-4");
        assertThatThrownBy(() -> LearningRates.parse("fast")).hasMessageContaining("'fast'");
        assertThatThrownBy(() -> LearningRates.parse("-1")).hasMessageContaining("positive");
    }
}
