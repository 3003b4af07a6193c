package org.smearscan.train;

import java.util.Locale;

/**
 * A peak learning rate, or a range {@code low:high} spread geometrically over the layer groups from the
 * first (stem) to the last (head), as fastai's {@code slice(low, high)} does. The head always gets the
 * larger rate: early layers hold generic features that need the least change.
 */
public record LearningRates(double low, double high) {
    public LearningRates {
        if (!(low > 0) || !(high > 0) || Double.isInfinite(low) || Double.isInfinite(high)) {
            throw new IllegalArgumentException("learning rates must be positive numbers, got " + low + ":" + high);
        }
        if (low > high) {
            throw new IllegalArgumentException("a learning-rate range runs from the smaller rate (first layers) to the "
                    + "larger (head); got " + low + ":" + high + ", write " + high + ":" + low);
        }
    }

    public static LearningRates single(double lr) {
        return new LearningRates(lr, lr);
    }

    /** Parses {@code 3e-3} or {@code 1e-5:1e-3}. */
    public static LearningRates parse(String text) {
        String[] parts = text.trim().split(":");
        try {
            if (parts.length == 1) {
                return single(Double.parseDouble(parts[0]));
            }
            if (parts.length == 2) {
                return new LearningRates(Double.parseDouble(parts[0]), Double.parseDouble(parts[1]));
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("learning rate '" + text + "' is neither a number (3e-3) nor a range (1e-5:1e-3)");
    }

    public boolean isRange() {
        return low != high;
    }

    /** fastai's even_mults: {@code groups} rates from low to high in equal ratios. */
    public double[] spread(int groups) {
        double[] out = new double[groups];
        for (int i = 0; i < groups; i++) {
            out[i] = groups == 1 ? high : low * Math.pow(high / low, (double) i / (groups - 1));
        }
        return out;
    }

    @Override
    public String toString() {
        return isRange() ? String.format(Locale.ROOT, "%g:%g", low, high) : String.format(Locale.ROOT, "%g", high);
    }
}
