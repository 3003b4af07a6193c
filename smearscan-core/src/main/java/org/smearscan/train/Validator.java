package org.smearscan.train;

/**
 * Scores the validation data after each training epoch and hands the metrics to the learner, before any
 * callback that reads them (tracker, early stopping, history, progress). Added by the learner when it has
 * validation data; the learning-rate finder leaves it out of its sweep.
 */
public final class Validator implements Callback {
    @Override
    public int order() {
        return -90; // first at afterEpoch: everything after it reads learner.lastMetrics()
    }

    @Override
    public void afterEpoch(Learner learner) {
        learner.setLastMetrics(learner.validate());
    }
}
