package org.smearscan.train.callback;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.smearscan.train.Callback;
import org.smearscan.train.CancelFitException;
import org.smearscan.train.Learner;
import org.smearscan.train.ParamScheduler;
import org.smearscan.train.Recorder;
import org.smearscan.train.WeightSnapshot;
import org.smearscan.train.schedule.Schedule;
import org.smearscan.train.schedule.TrainingSchedule;

/**
 * fastai's learning-rate finder: trains with a rate growing exponentially from {@code startLr} to
 * {@code endLr} over {@code iterations} batches, stops early once the smoothed loss exceeds 4x the best
 * seen, then puts the weights and optimizer state back as they were.
 *
 * @param startLr     first rate of the sweep
 * @param endLr       last rate
 * @param iterations  batches the sweep takes (it runs several epochs if one epoch is shorter)
 * @param stopOnDivergence stop when the smoothed loss exceeds {@value #DIVERGENCE_FACTOR}x its minimum
 */
public record LrFinder(double startLr, double endLr, int iterations, boolean stopOnDivergence) {
    public static final double DIVERGENCE_FACTOR = 4;

    public LrFinder {
        if (!(startLr > 0) || !(endLr > startLr)) {
            throw new IllegalArgumentException("the sweep must run from a positive rate up, got " + startLr + " to " + endLr);
        }
        if (iterations < 2) {
            throw new IllegalArgumentException("the sweep needs at least 2 iterations");
        }
    }

    /** fastai's defaults: 1e-7 to 10 over 100 batches, stopping on divergence. */
    public static LrFinder defaults() {
        return new LrFinder(1e-7, 10, 100, true);
    }

    /**
     * What the sweep saw and what it suggests.
     *
     * @param learningRates rate at each batch
     * @param smoothLosses  smoothed loss after each batch
     * @param valley        fastai's default suggestion: a point in the longest descending stretch
     * @param minimumOver10 the rate of the lowest smoothed loss, divided by 10
     * @param diverged      whether the sweep stopped because the loss blew up
     */
    public record Result(double[] learningRates, double[] smoothLosses, double valley, double minimumOver10,
            boolean diverged) {}

    /** fastai's lr_find on {@code learner}; its weights and optimizer state are restored afterwards. */
    public Result run(Learner learner) {
        WeightSnapshot weights = learner.weights();
        byte[] optimizerState = learner.optimizerState();
        int epoch = learner.epoch();
        double momentum = learner.optimizer().momentum();
        Map<String, byte[]> callbackStates = learner.callbackStates();
        List<Callback> detached = new ArrayList<>();
        Sweep sweep = new Sweep();
        try {
            for (Callback cb : learner.callbacks()) {
                if (!cb.keepDuringLrFind()) {
                    detached.add(cb);
                }
            }
            detached.forEach(learner::removeCallback);
            learner.addCallback(sweep);
            int perEpoch = learner.trainData().batchesPerEpoch();
            int epochs = (iterations + perEpoch - 1) / perEpoch;
            long total = (long) epochs * perEpoch;
            Schedule exponential = Schedule.exponential(startLr, endLr);
            // fastai's position is batch/iterations, whatever the epochs add up to
            Schedule lr = pct -> exponential.at(Math.min(1, pct * total / iterations));
            List<Schedule> perGroup = java.util.Collections.nCopies(learner.layerGroups().size(), lr);
            learner.fit(epochs, new TrainingSchedule(perGroup, Schedule.constant(momentum)), 0);
        } finally {
            learner.removeCallback(sweep);
            detached.forEach(learner::addCallback);
            learner.loadWeights(weights);
            learner.loadOptimizerState(optimizerState);
            learner.optimizer().setMomentum(momentum);
            learner.setEpoch(epoch);
            learner.loadCallbackStates(callbackStates);
        }
        double[] lrs = sweep.lrs.stream().mapToDouble(Double::doubleValue).toArray();
        double[] losses = sweep.losses.stream().mapToDouble(Double::doubleValue).toArray();
        return new Result(lrs, losses, valley(lrs, losses, iterations), minimumOver10(lrs, losses, iterations),
                sweep.diverged);
    }

    /** Collects the sweep and applies the stop rule after every batch. */
    private final class Sweep implements Callback {
        final List<Double> lrs = new ArrayList<>();
        final List<Double> losses = new ArrayList<>();
        double best = Double.POSITIVE_INFINITY;
        boolean diverged;

        @Override
        public int order() {
            return 10; // after the recorder has updated the smoothed loss
        }

        @Override
        public void afterBatch(Learner learner) {
            double smooth = learner.recorder().smoothLoss();
            double[] rates = learner.optimizer().learningRates();
            lrs.add(rates[rates.length - 1]);
            losses.add(smooth);
            if (smooth < best) {
                best = smooth;
            }
            if (stopOnDivergence && (Double.isNaN(smooth) || smooth > DIVERGENCE_FACTOR * best)) {
                diverged = true;
                throw new CancelFitException("loss diverged");
            }
            if (learner.iteration() >= iterations) {
                throw new CancelFitException("sweep complete");
            }
        }
    }

    /** The points fastai bases its suggestions on: the first tenth and the last 5 dropped, NaNs cut. */
    static int[] window(double[] losses, int iterations) {
        int from = iterations / 10;
        int to = losses.length - 5;
        for (int i = from; i < to; i++) {
            if (Double.isNaN(losses[i])) {
                to = i;
                break;
            }
        }
        if (to - from < 2) {
            // too short a sweep to trim: use what there is
            from = 0;
            to = losses.length;
        }
        return new int[] {from, to};
    }

    /**
     * fastai's valley: find the longest stretch over which the loss keeps falling (longest decreasing
     * subsequence) and take the point at about half of it (fastai's index start + int(len/3) + int(len/6)).
     */
    static double valley(double[] lrs, double[] losses, int iterations) {
        int[] w = window(losses, iterations);
        int n = w[1] - w[0];
        if (n <= 0) {
            return Double.NaN;
        }
        int[] lds = new int[n];
        java.util.Arrays.fill(lds, 1);
        int maxStart = 0;
        int maxEnd = 0;
        for (int i = 1; i < n; i++) {
            for (int j = 0; j < i; j++) {
                if (losses[w[0] + i] < losses[w[0] + j] && lds[i] < lds[j] + 1) {
                    lds[i] = lds[j] + 1;
                }
                if (lds[maxEnd] < lds[i]) {
                    maxEnd = i;
                    maxStart = maxEnd - lds[maxEnd];
                }
            }
        }
        double sections = (maxEnd - maxStart) / 3.0;
        int idx = maxStart + (int) sections + (int) (sections / 2);
        return lrs[w[0] + Math.max(0, Math.min(n - 1, idx))];
    }

    /** fastai's minimum: the rate at the lowest smoothed loss, divided by 10. */
    static double minimumOver10(double[] lrs, double[] losses, int iterations) {
        int[] w = window(losses, iterations);
        int best = -1;
        for (int i = w[0]; i < w[1]; i++) {
            if (best < 0 || losses[i] < losses[best]) {
                best = i;
            }
        }
        return best < 0 ? Double.NaN : lrs[best] / 10;
    }
}
