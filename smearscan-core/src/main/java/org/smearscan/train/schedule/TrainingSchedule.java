package org.smearscan.train.schedule;

import java.util.List;

/**
 * The hyper-parameters of one fit as functions of progress: one learning-rate schedule per parameter
 * group (discriminative rates) and one momentum schedule shared by all groups.
 */
public record TrainingSchedule(List<Schedule> learningRates, Schedule momentum) {
    public TrainingSchedule {
        if (learningRates.isEmpty()) {
            throw new IllegalArgumentException("a schedule needs at least one parameter group");
        }
        learningRates = List.copyOf(learningRates);
    }

    /** One-cycle for every group, each with its own peak rate and otherwise the same policy. */
    public static TrainingSchedule oneCycle(double[] maxLrPerGroup, OneCycle policy) {
        List<Schedule> lrs = new java.util.ArrayList<>();
        for (double maxLr : maxLrPerGroup) {
            lrs.add(policy.withMaxLr(maxLr).learningRate());
        }
        return new TrainingSchedule(lrs, policy.momentum());
    }

    public int groups() {
        return learningRates.size();
    }

    public double[] learningRatesAt(double pct) {
        double[] out = new double[learningRates.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = learningRates.get(i).at(pct);
        }
        return out;
    }

    public double momentumAt(double pct) {
        return momentum.at(pct);
    }
}
