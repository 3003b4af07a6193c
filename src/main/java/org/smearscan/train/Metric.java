package org.smearscan.train;

import java.util.Arrays;
import java.util.Locale;

/** A validation metric a run can monitor, and which direction is better. */
public enum Metric {
    VALID_LOSS("valid_loss", true),
    ACCURACY("accuracy", false),
    ERROR_RATE("error_rate", true),
    AUC("auc", false);

    private final String key;
    private final boolean lowerIsBetter;

    Metric(String key, boolean lowerIsBetter) {
        this.key = key;
        this.lowerIsBetter = lowerIsBetter;
    }

    public String key() {
        return key;
    }

    public boolean lowerIsBetter() {
        return lowerIsBetter;
    }

    /** Whether {@code candidate} beats {@code best} by more than {@code minDelta}. */
    public boolean improves(double candidate, double best, double minDelta) {
        if (Double.isNaN(candidate)) {
            return false;
        }
        if (Double.isNaN(best)) {
            return true;
        }
        return lowerIsBetter ? candidate < best - minDelta : candidate > best + minDelta;
    }

    public static Metric parse(String name) {
        String wanted = name.toLowerCase(Locale.ROOT).replace('-', '_');
        return Arrays.stream(values())
                .filter(m -> m.key.equals(wanted))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown metric '" + name + "'; choose one of "
                        + Arrays.stream(values()).map(Metric::key).toList()));
    }

    @Override
    public String toString() {
        return key;
    }
}
