package org.smearscan.train;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * fastai's {@code metrics}: a named figure computed from a validation pass, and which direction is better.
 * The learner computes the validation loss and each metric it was given; a tracker monitors one by name.
 */
public interface Metric {
    /** Also how a metric is written in a run's config.json. */
    @JsonValue
    String name();

    boolean lowerIsBetter();

    double compute(Predictions predictions);

    /** Whether {@code candidate} beats {@code best} by more than {@code minDelta}; NaN never does. */
    default boolean improves(double candidate, double best, double minDelta) {
        if (Double.isNaN(candidate)) {
            return false;
        }
        if (Double.isNaN(best)) {
            return true;
        }
        return lowerIsBetter() ? candidate < best - minDelta : candidate > best + minDelta;
    }

    /** A metric from a name, a direction and a function. */
    static Metric of(String name, boolean lowerIsBetter, ToDoubleFunction<Predictions> compute) {
        return new Named(name, lowerIsBetter, compute);
    }

    /** Mean loss of the pass; the learner always reports it. */
    static Metric validLoss() {
        return of("valid_loss", true, Predictions::meanLoss);
    }

    static Metric accuracy() {
        return of("accuracy", false, Predictions::accuracy);
    }

    static Metric errorRate() {
        return of("error_rate", true, p -> 1 - p.accuracy());
    }

    /** Area under the ROC curve of {@code positiveClass}'s probability. */
    static Metric auc(int positiveClass) {
        return of("auc", false, p -> p.auc(positiveClass));
    }

    /** The metrics a classifier reports by default: accuracy, error rate, AUC of {@code positiveClass}. */
    static List<Metric> defaults(int positiveClass) {
        return List.of(accuracy(), errorRate(), auc(positiveClass));
    }

    /**
     * The built-in metric called {@code name} (for {@code --monitor}, and config.json, where runs before
     * 2026-11-30 wrote upper-case names); AUC is taken of class 0.
     */
    @JsonCreator
    static Metric parse(String name) {
        String wanted = name.toLowerCase(Locale.ROOT).replace('-', '_');
        List<Metric> known = List.of(validLoss(), accuracy(), errorRate(), auc(0));
        return known.stream().filter(m -> m.name().equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown metric '" + name + "'; choose one of "
                        + Arrays.toString(known.stream().map(Metric::name).toArray())));
    }

    /** A metric is known by its name: two with the same name are the same metric. */
    record Named(String name, boolean lowerIsBetter, ToDoubleFunction<Predictions> function) implements Metric {
        @Override
        public double compute(Predictions predictions) {
            return function.applyAsDouble(predictions);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Metric m && m.name().equals(name);
        }

        @Override
        public int hashCode() {
            return name.hashCode();
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
