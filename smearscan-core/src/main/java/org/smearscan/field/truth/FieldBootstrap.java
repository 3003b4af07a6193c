package org.smearscan.field.truth;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;
import org.smearscan.stats.Bootstrap;
import org.smearscan.stats.ConfidenceIntervals;
import org.smearscan.stats.Estimate;

/**
 * Intervals for figures pooled over fields, by a bootstrap over fields: cells in one field share its smear,
 * stain and focus, so the field and not the cell is the unit that varies independently. The resamples of the
 * fields are {@link Bootstrap#DEFAULT}'s (with replacement, from a fixed seed, so the same scores always give the
 * same interval), the interval their 2.5th and 97.5th percentiles ({@link ConfidenceIntervals#percentile}).
 */
final class FieldBootstrap {
    /** A figure computed on a resample, given how often each field was drawn. */
    @FunctionalInterface
    interface Statistic {
        double of(int[] timesDrawn);
    }

    private FieldBootstrap() {}

    /** The point value on all fields (each drawn once) with its percentile interval. */
    static Estimate estimate(int fields, Statistic statistic) {
        int[] once = new int[fields];
        Arrays.fill(once, 1);
        double value = statistic.of(once);
        double[] samples = new double[Bootstrap.DEFAULT.resamples()];
        Bootstrap.DEFAULT.forEachResample(fields, (r, timesDrawn) -> samples[r] = statistic.of(timesDrawn));
        return ConfidenceIntervals.percentile(value, samples);
    }

    /** The mean of a per-field value with its interval; fields where the value is NaN are left out. */
    static Estimate mean(List<FieldTally> fields, ToDoubleFunction<FieldTally> value) {
        return estimate(fields.size(), timesDrawn -> weightedMean(fields, timesDrawn, value));
    }

    /** Mean of the defined values, each counted as often as its field was drawn; NaN when none is drawn. */
    static double weightedMean(List<FieldTally> fields, int[] timesDrawn, ToDoubleFunction<FieldTally> value) {
        double sum = 0;
        long count = 0;
        for (int i = 0; i < fields.size(); i++) {
            double v = value.applyAsDouble(fields.get(i));
            if (timesDrawn[i] > 0 && !Double.isNaN(v)) {
                sum += timesDrawn[i] * v;
                count += timesDrawn[i];
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    /** A count summed over fields, each as often as it was drawn. */
    static long weightedSum(List<FieldTally> fields, int[] timesDrawn, ToIntFunction<FieldTally> count) {
        long sum = 0;
        for (int i = 0; i < fields.size(); i++) {
            sum += (long) timesDrawn[i] * count.applyAsInt(fields.get(i));
        }
        return sum;
    }
}
