package org.smearscan.evaluate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.smearscan.stats.Bootstrap;
import org.smearscan.stats.ConfidenceIntervals;
import org.smearscan.stats.Estimate;

/**
 * Every screening figure of a set of predictions, each with a 95% interval: Wilson for the proportions
 * (accuracy, error rate, sensitivity, specificity, precision), a seeded percentile bootstrap for the rest.
 * Sensitivity is the recall of the positive class (Parasitized): the fraction of infected cells caught.
 *
 * @param n         images scored
 * @param threshold probability of the positive class at or above which an image is called positive
 * @param confusion the decisions at that threshold
 * @param bootstrap how the bootstrap intervals were drawn
 */
public record Metrics(
        int n,
        double threshold,
        Confusion confusion,
        Estimate accuracy,
        Estimate errorRate,
        Estimate sensitivity,
        Estimate specificity,
        Estimate precision,
        Estimate f1,
        Estimate mcc,
        Estimate auc,
        Estimate logLoss,
        Estimate brier,
        Bootstrap bootstrap) {

    /** The names the JSON output and the report use, in display order. */
    public static final List<String> NAMES = List.of(
            "accuracy", "error_rate", "sensitivity", "specificity", "precision", "f1", "mcc", "auc",
            "log_loss", "brier");

    public static Metrics compute(double[] probabilityOfPositive, boolean[] isPositive, double threshold) {
        return compute(probabilityOfPositive, isPositive, threshold, Bootstrap.DEFAULT);
    }

    public static Metrics compute(double[] probabilityOfPositive, int[] labels, int positiveClass, double threshold) {
        return compute(probabilityOfPositive, isPositive(labels, positiveClass), threshold, Bootstrap.DEFAULT);
    }

    public static Metrics compute(double[] probabilityOfPositive, boolean[] isPositive, double threshold,
            Bootstrap bootstrap) {
        if (probabilityOfPositive.length == 0) {
            throw new IllegalArgumentException("no predictions to evaluate");
        }
        WeightedScores scores = new WeightedScores(probabilityOfPositive, isPositive, threshold);
        int[] all = scores.unitWeights();
        Confusion c = scores.confusion(all);

        int resamples = bootstrap.resamples();
        double[] f1 = new double[resamples];
        double[] mcc = new double[resamples];
        double[] auc = new double[resamples];
        double[] logLoss = new double[resamples];
        double[] brier = new double[resamples];
        bootstrap.forEachResample(scores.size(), (r, weights) -> {
            Confusion rc = scores.confusion(weights);
            f1[r] = WeightedScores.f1(rc);
            mcc[r] = WeightedScores.mcc(rc);
            auc[r] = scores.auc(weights);
            logLoss[r] = scores.logLoss(weights);
            brier[r] = scores.brier(weights);
        });
        return new Metrics(
                scores.size(),
                threshold,
                c,
                ConfidenceIntervals.wilson(c.correct(), c.total()),
                ConfidenceIntervals.wilson(c.wrong(), c.total()),
                ConfidenceIntervals.wilson(c.truePositives(), c.positives()),
                ConfidenceIntervals.wilson(c.trueNegatives(), c.negatives()),
                ConfidenceIntervals.wilson(c.truePositives(), c.truePositives() + c.falsePositives()),
                ConfidenceIntervals.percentile(WeightedScores.f1(c), f1),
                ConfidenceIntervals.percentile(WeightedScores.mcc(c), mcc),
                ConfidenceIntervals.percentile(scores.auc(all), auc),
                ConfidenceIntervals.percentile(scores.logLoss(all), logLoss),
                ConfidenceIntervals.percentile(scores.brier(all), brier),
                bootstrap);
    }

    /** Truths from class indices: an image is positive when its label is the positive class. */
    public static boolean[] isPositive(int[] labels, int positiveClass) {
        boolean[] positive = new boolean[labels.length];
        for (int i = 0; i < labels.length; i++) {
            positive[i] = labels[i] == positiveClass;
        }
        return positive;
    }

    /** The figure with the given name from {@link #NAMES}. */
    public Estimate get(String name) {
        Function<Metrics, Estimate> getter = switch (name) {
            case "accuracy" -> Metrics::accuracy;
            case "error_rate" -> Metrics::errorRate;
            case "sensitivity" -> Metrics::sensitivity;
            case "specificity" -> Metrics::specificity;
            case "precision" -> Metrics::precision;
            case "f1" -> Metrics::f1;
            case "mcc" -> Metrics::mcc;
            case "auc" -> Metrics::auc;
            case "log_loss" -> Metrics::logLoss;
            case "brier" -> Metrics::brier;
            default -> throw new IllegalArgumentException("no metric named '" + name + "'; known: " + NAMES);
        };
        return getter.apply(this);
    }

    /**
     * A JSON-ready map: {@code n}, {@code threshold}, each figure and {@code <name>_ci} as {@code [lo, hi]},
     * and {@code confusion}. Undefined values are null (JSON has no NaN).
     */
    public Map<String, Object> toJsonMap() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("n", n);
        json.put("threshold", threshold);
        for (String name : NAMES) {
            Estimate e = get(name);
            json.put(name, finiteOrNull(e.value()));
            json.put(name + "_ci", new Double[] {finiteOrNull(e.lo()), finiteOrNull(e.hi())});
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("tp", confusion.truePositives());
        counts.put("fn", confusion.falseNegatives());
        counts.put("fp", confusion.falsePositives());
        counts.put("tn", confusion.trueNegatives());
        json.put("confusion", counts);
        return json;
    }

    static Double finiteOrNull(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
