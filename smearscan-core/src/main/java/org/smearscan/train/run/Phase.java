package org.smearscan.train.run;

import org.smearscan.train.LearningRates;
import org.smearscan.train.schedule.OneCycle;

/**
 * One fit_one_cycle call of a training plan: fastai's fine_tune is a frozen phase then an unfrozen one.
 *
 * @param name       label in the history ({@code fit}, {@code fine-tune})
 * @param epochs     length of the phase
 * @param lrs        peak rate, or a range spread over the layer groups
 * @param freezeBody train only the head (a pretrained body stays as it is)
 * @param policy     the one-cycle shape (its max rate is replaced by each group's)
 */
public record Phase(String name, int epochs, LearningRates lrs, boolean freezeBody, OneCycle policy) {
    public Phase {
        if (epochs < 1) {
            throw new IllegalArgumentException("a phase needs at least one epoch, got " + epochs);
        }
    }
}
