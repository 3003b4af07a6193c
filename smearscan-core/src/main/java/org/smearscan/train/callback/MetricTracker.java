package org.smearscan.train.callback;

import org.smearscan.train.StateBytes;
import org.smearscan.train.Stateful;
import org.smearscan.train.Callback;
import org.smearscan.train.EpochMetrics;
import org.smearscan.train.Learner;
import org.smearscan.train.Metric;

/**
 * Follows one validation metric over the run and knows whether the last epoch improved on the best so
 * far; the best-model keeper and early stopping both ask it, so they always agree on what "better" means.
 * The best value carries over from one fit to the next (a fine-tuning phase must beat the first phase).
 */
public final class MetricTracker implements Callback, Stateful {
    private final Metric metric;
    private final double minDelta;
    private double best = Double.NaN;
    private int bestEpoch = -1;
    private boolean improved;

    public MetricTracker(Metric metric, double minDelta) {
        this.metric = metric;
        this.minDelta = minDelta;
    }

    public MetricTracker(Metric metric) {
        this(metric, 0);
    }

    @Override
    public int order() {
        return -20; // before everything that reads it at afterEpoch
    }

    @Override
    public void afterEpoch(Learner learner) {
        EpochMetrics metrics = learner.lastMetrics();
        improved = false;
        if (metrics == null) {
            return;
        }
        double value = metrics.get(metric);
        if (metric.improves(value, best, minDelta)) {
            best = value;
            bestEpoch = learner.epoch();
            improved = true;
        }
    }

    public Metric metric() {
        return metric;
    }

    /** Whether the epoch that just ended set a new best. */
    public boolean improved() {
        return improved;
    }

    /** The best value so far, NaN before the first validation. */
    public double best() {
        return best;
    }

    /** The (0-based, run-wide) epoch of the best value, -1 before the first. */
    public int bestEpoch() {
        return bestEpoch;
    }

    @Override
    public String stateKey() {
        return "tracker";
    }

    @Override
    public byte[] saveState() {
        return StateBytes.write(out -> {
            out.writeDouble(best);
            out.writeInt(bestEpoch);
        });
    }

    @Override
    public void loadState(byte[] state) {
        StateBytes.read(state, in -> {
            best = in.readDouble();
            bestEpoch = in.readInt();
        });
        improved = false;
    }
}
