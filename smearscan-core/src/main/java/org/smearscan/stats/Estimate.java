package org.smearscan.stats;

/**
 * A figure with its 95% confidence interval. Undefined figures (a ratio over zero images, say) are NaN
 * rather than a convenient 0 or 1, so a report never shows a number the data cannot support.
 *
 * @param value the point estimate
 * @param lo    lower end of the 95% interval
 * @param hi    upper end of the 95% interval
 */
public record Estimate(double value, double lo, double hi) {
    public static final Estimate UNDEFINED = new Estimate(Double.NaN, Double.NaN, Double.NaN);

    public boolean isDefined() {
        return !Double.isNaN(value);
    }

    /** The interval as a two-element array, {@code [lo, hi]}, as the JSON output writes it. */
    public double[] interval() {
        return new double[] {lo, hi};
    }
}
