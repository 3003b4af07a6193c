package org.smearscan.train.schedule;

/**
 * fastai's fit_one_cycle policy for one parameter group. The learning rate warms up along a cosine from
 * {@code maxLr/div} to {@code maxLr} over the first {@code pctStart} of the steps, then anneals along a
 * cosine to {@code maxLr/divFinal}; momentum (Adam's beta1) moves the opposite way, from {@code moms[0]}
 * down to {@code moms[1]} and back to {@code moms[2]}.
 */
public record OneCycle(double maxLr, double div, double divFinal, double pctStart, double[] moms) {
    public static final double DEFAULT_DIV = 25;
    public static final double DEFAULT_DIV_FINAL = 1e5;
    public static final double DEFAULT_PCT_START = 0.25;
    public static final double[] DEFAULT_MOMS = {0.95, 0.85, 0.95};

    public OneCycle {
        if (!(maxLr > 0) || !(div > 0) || !(divFinal > 0)) {
            throw new IllegalArgumentException("one-cycle needs a positive max learning rate and divisors");
        }
        if (pctStart < 0 || pctStart > 1) {
            throw new IllegalArgumentException("pctStart must lie in [0, 1], got " + pctStart);
        }
        if (moms.length != 3) {
            throw new IllegalArgumentException("one-cycle needs 3 momentum values (start, middle, end)");
        }
        moms = moms.clone();
    }

    /** fastai's defaults: div 25, div_final 1e5, pct_start 0.25, moms (0.95, 0.85, 0.95). */
    public static OneCycle of(double maxLr) {
        return new OneCycle(maxLr, DEFAULT_DIV, DEFAULT_DIV_FINAL, DEFAULT_PCT_START, DEFAULT_MOMS);
    }

    public OneCycle withMaxLr(double newMaxLr) {
        return new OneCycle(newMaxLr, div, divFinal, pctStart, moms);
    }

    public OneCycle withPctStart(double newPctStart) {
        return new OneCycle(maxLr, div, divFinal, newPctStart, moms);
    }

    public Schedule learningRate() {
        return Schedule.combinedCos(pctStart, maxLr / div, maxLr, maxLr / divFinal);
    }

    public Schedule momentum() {
        return Schedule.combinedCos(pctStart, moms[0], moms[1], moms[2]);
    }

    @Override
    public double[] moms() {
        return moms.clone();
    }
}
