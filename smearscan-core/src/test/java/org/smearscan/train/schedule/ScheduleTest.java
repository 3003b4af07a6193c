package org.smearscan.train.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ScheduleTest {
    private static final double EPS = 1e-12;

    @Test
    void cosineRunsFromStartToEndThroughTheMidpoint() {
        Schedule s = Schedule.cos(1, 3);
        assertThat(s.at(0)).isCloseTo(1, within(EPS));
        assertThat(s.at(0.5)).isCloseTo(2, within(EPS));
        assertThat(s.at(1)).isCloseTo(3, within(EPS));
        // fastai's SchedCos at 0.25: 1 + (1 + cos(0.75 pi)) * 2 / 2
        assertThat(s.at(0.25)).isCloseTo(1 + (1 + Math.cos(0.75 * Math.PI)), within(EPS));
    }

    @Test
    void oneCycleMatchesFastaiAtKnownSteps() {
        // fit_one_cycle(lr_max=1e-2): start 1e-2/25, peak at 25%, end 1e-2/1e5; moms 0.95 -> 0.85 -> 0.95
        OneCycle policy = OneCycle.of(1e-2);
        Schedule lr = policy.learningRate();
        Schedule mom = policy.momentum();
        assertThat(lr.at(0)).isCloseTo(4e-4, within(EPS));
        assertThat(lr.at(0.25)).isCloseTo(1e-2, within(EPS));
        assertThat(lr.at(1)).isCloseTo(1e-7, within(1e-15));
        assertThat(lr.at(0.125)).isCloseTo((4e-4 + 1e-2) / 2, within(EPS)); // cosine midpoint of the warm-up
        assertThat(lr.at(0.625)).isCloseTo((1e-2 + 1e-7) / 2, within(EPS)); // midpoint of the annealing
        assertThat(mom.at(0)).isCloseTo(0.95, within(EPS));
        assertThat(mom.at(0.25)).isCloseTo(0.85, within(EPS));
        assertThat(mom.at(1)).isCloseTo(0.95, within(EPS));
    }

    @Test
    void oneCycleValuesAtStepsOfARealFit() {
        // 4 epochs x 10 batches: fastai's pct for batch i is i/40
        OneCycle policy = OneCycle.of(3e-3);
        Schedule lr = policy.learningRate();
        double pct = 7 / 40.0; // in the warm-up: local position 0.7
        double expected = 3e-3 / 25 + (1 + Math.cos(Math.PI * 0.3)) * (3e-3 - 3e-3 / 25) / 2;
        assertThat(lr.at(pct)).isCloseTo(expected, within(EPS));
        double pct2 = 30 / 40.0; // annealing: local (0.75-0.25)/0.75 = 2/3
        double expected2 = 3e-3 + (1 + Math.cos(Math.PI / 3)) * (3e-8 - 3e-3) / 2;
        assertThat(lr.at(pct2)).isCloseTo(expected2, within(EPS));
    }

    @Test
    void pctStartMovesThePeak() {
        Schedule lr = OneCycle.of(1).withPctStart(0.5).learningRate();
        assertThat(lr.at(0.5)).isCloseTo(1, within(EPS));
        assertThat(lr.at(0.25)).isLessThan(1);
    }

    @Test
    void exponentialScheduleIsGeometric() {
        Schedule s = Schedule.exponential(1e-7, 10);
        assertThat(s.at(0)).isCloseTo(1e-7, within(1e-18));
        assertThat(s.at(0.5)).isCloseTo(Math.sqrt(1e-7 * 10), within(1e-12));
        assertThat(s.at(1)).isCloseTo(10, within(1e-9));
    }

    @Test
    void combineRejectsFractionsThatDoNotSumToOne() {
        assertThatThrownBy(() -> Schedule.combine(new double[] {0.3, 0.3}, Schedule.constant(1), Schedule.constant(2)))
                .hasMessageContaining("sum to 1");
    }

    @Test
    void discriminativeRatesSpreadGeometricallyFromBodyToHead() {
        TrainingSchedule s = TrainingSchedule.oneCycle(
                org.smearscan.train.LearningRates.parse("1e-5:1e-3").spread(3), OneCycle.of(1e-3));
        double[] peak = s.learningRatesAt(0.25);
        assertThat(peak[0]).isCloseTo(1e-5, within(1e-15));
        assertThat(peak[1]).isCloseTo(1e-4, within(1e-14));
        assertThat(peak[2]).isCloseTo(1e-3, within(1e-13));
    }
}
