package org.smearscan.train.schedule;

/**
 * A hyper-parameter as a pure function of training progress: {@code pct} runs from 0 at the first batch
 * of a fit to 1 at its end. Pure functions make a resumed run land on exactly the values an uninterrupted
 * run would have used, since the position alone decides the value.
 */
@FunctionalInterface
public interface Schedule {
    double at(double pct);

    /** The same value everywhere. */
    static Schedule constant(double value) {
        return pct -> value;
    }

    /** fastai's SchedCos: half a cosine from {@code start} to {@code end}. */
    static Schedule cos(double start, double end) {
        return pct -> start + (1 + Math.cos(Math.PI * (1 - pct))) * (end - start) / 2;
    }

    /** fastai's SchedLin. */
    static Schedule linear(double start, double end) {
        return pct -> start + pct * (end - start);
    }

    /** fastai's SchedExp: geometric interpolation, used by the learning-rate finder. */
    static Schedule exponential(double start, double end) {
        if (start <= 0 || end <= 0) {
            throw new IllegalArgumentException("an exponential schedule needs positive ends, got " + start + " and " + end);
        }
        return pct -> start * Math.pow(end / start, pct);
    }

    /**
     * fastai's combine_scheds: schedule {@code i} runs over the fraction {@code pcts[i]} of training,
     * seeing its own progress from 0 to 1.
     */
    static Schedule combine(double[] pcts, Schedule... schedules) {
        if (pcts.length != schedules.length || pcts.length == 0) {
            throw new IllegalArgumentException("need one fraction per schedule");
        }
        double[] starts = new double[pcts.length + 1];
        for (int i = 0; i < pcts.length; i++) {
            if (pcts[i] < 0) {
                throw new IllegalArgumentException("fractions must not be negative");
            }
            starts[i + 1] = starts[i] + pcts[i];
        }
        if (Math.abs(starts[pcts.length] - 1) > 1e-9) {
            throw new IllegalArgumentException("fractions must sum to 1, got " + starts[pcts.length]);
        }
        Schedule[] copy = schedules.clone();
        return pct -> {
            int idx = 0;
            // the last phase whose start is at or before pct; pct = 1 belongs to the last phase
            for (int i = 0; i < copy.length; i++) {
                if (pct >= starts[i]) {
                    idx = i;
                }
            }
            double width = starts[idx + 1] - starts[idx];
            double local = width == 0 ? 1 : (pct - starts[idx]) / width;
            return copy[idx].at(Math.min(1, Math.max(0, local)));
        };
    }

    /** fastai's combined_cos: cosine from start to middle over {@code pct}, then from middle to end. */
    static Schedule combinedCos(double pct, double start, double middle, double end) {
        return combine(new double[] {pct, 1 - pct}, cos(start, middle), cos(middle, end));
    }
}
