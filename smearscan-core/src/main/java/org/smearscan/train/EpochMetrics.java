package org.smearscan.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Validation results of one pass: the loss and each metric the learner was given, by name.
 *
 * @param values {@code valid_loss} first, then the metrics in the order given
 * @param count  validation images
 */
public record EpochMetrics(Map<String, Double> values, int count) {
    public EpochMetrics {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** Computes the loss and {@code metrics} from one pass. */
    public static EpochMetrics of(Predictions predictions, List<Metric> metrics) {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put(Metric.validLoss().name(), predictions.meanLoss());
        for (Metric m : metrics) {
            values.put(m.name(), m.compute(predictions));
        }
        return new EpochMetrics(values, predictions.size());
    }

    /** The value of the metric called {@code name}, NaN when this pass did not compute it. */
    public double get(String name) {
        return values.getOrDefault(name, Double.NaN);
    }

    public double get(Metric metric) {
        return get(metric.name());
    }

    public double validLoss() {
        return get("valid_loss");
    }

    public double accuracy() {
        return get("accuracy");
    }

    public double errorRate() {
        return get("error_rate");
    }

    public double auc() {
        return get("auc");
    }
}
