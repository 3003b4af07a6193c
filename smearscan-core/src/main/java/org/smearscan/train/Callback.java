package org.smearscan.train;

/**
 * A behaviour plugged into the training loop at named events, as in fastai. Everything beyond the bare
 * forward/backward/step loop (schedules, recording, checkpoints, early stopping, progress) is one.
 * Callbacks run in ascending {@link #order()}; within an order, in the order they were added.
 */
public interface Callback {
    /** Lower runs first: the scheduler before anything that reads the rates, the tracker before its users. */
    default int order() {
        return 0;
    }

    default void beforeFit(Learner learner) {}

    default void beforeEpoch(Learner learner) {}

    default void beforeBatch(Learner learner) {}

    /** After the loss is computed, before the backward pass. */
    default void afterLoss(Learner learner) {}

    /** After the backward pass, before the optimizer step. */
    default void beforeStep(Learner learner) {}

    default void afterStep(Learner learner) {}

    default void afterBatch(Learner learner) {}

    default void afterEpoch(Learner learner) {}

    /** Runs when the fit ends normally or was cancelled, not when it failed. */
    default void afterFit(Learner learner) {}

    /**
     * Whether this callback stays attached while the learning-rate finder sweeps. Only what the sweep
     * itself needs (the schedule, the recorder) and progress do; validation, checkpoints and best-model
     * keeping must not see a sweep.
     */
    default boolean keepDuringLrFind() {
        return false;
    }
}
