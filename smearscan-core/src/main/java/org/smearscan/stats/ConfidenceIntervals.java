package org.smearscan.stats;

import java.util.Arrays;

/** 95% intervals: Wilson's score interval for proportions, percentile intervals for bootstrap samples. */
public final class ConfidenceIntervals {
    /** The 97.5th percentile of the standard normal distribution. */
    public static final double Z_95 = 1.959963984540054;

    private ConfidenceIntervals() {}

    /**
     * Wilson's score interval for {@code successes} out of {@code trials}. Unlike the normal approximation
     * it stays inside [0, 1] and keeps its coverage near 0 and 1, where a good classifier's error rate lives.
     * Undefined (NaN) for zero trials.
     */
    public static Estimate wilson(long successes, long trials) {
        if (successes < 0 || successes > trials) {
            throw new IllegalArgumentException(successes + " successes out of " + trials + " trials");
        }
        if (trials == 0) {
            return Estimate.UNDEFINED;
        }
        double n = trials;
        double p = successes / n;
        double z2 = Z_95 * Z_95;
        double denominator = 1 + z2 / n;
        double centre = (p + z2 / (2 * n)) / denominator;
        double half = Z_95 / denominator * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        // Clamp only the rounding error: exact arithmetic keeps both ends in [0, 1].
        return new Estimate(p, Math.max(0, centre - half), Math.min(1, centre + half));
    }

    /**
     * The 2.5th and 97.5th percentiles of a bootstrap distribution, interpolated linearly between order
     * statistics (numpy's default). NaN samples (a resample where the figure is undefined) are left out.
     */
    public static Estimate percentile(double pointEstimate, double[] samples) {
        double[] finite = Arrays.stream(samples).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (finite.length == 0 || Double.isNaN(pointEstimate)) {
            return new Estimate(pointEstimate, Double.NaN, Double.NaN);
        }
        return new Estimate(pointEstimate, quantile(finite, 0.025), quantile(finite, 0.975));
    }

    /** Quantile {@code q} of sorted values, linear between order statistics. */
    static double quantile(double[] sorted, double q) {
        double position = q * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(below + 1, sorted.length - 1);
        double fraction = position - below;
        return sorted[below] + fraction * (sorted[above] - sorted[below]);
    }
}
