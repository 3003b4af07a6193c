package org.smearscan.train;

import org.smearscan.train.schedule.TrainingSchedule;

/** Sets each group's learning rate and the momentum from the fit's schedule before every batch. */
public final class ParamScheduler implements Callback {
    @Override
    public int order() {
        return -100;
    }

    @Override
    public boolean keepDuringLrFind() {
        return true;
    }

    @Override
    public void beforeBatch(Learner learner) {
        TrainingSchedule schedule = learner.schedule();
        double pct = learner.pctTrain();
        learner.optimizer().setLearningRates(schedule.learningRatesAt(pct));
        learner.optimizer().setMomentum(schedule.momentumAt(pct));
    }
}
