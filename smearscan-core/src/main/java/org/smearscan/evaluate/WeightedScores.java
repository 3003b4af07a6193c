package org.smearscan.evaluate;

import java.util.Arrays;
import org.smearscan.stats.Auc;

/**
 * Probabilities and truths, with every figure computed over a weighting of the images. Weight 1 for each
 * image gives the point estimates; a bootstrap resample is the same images weighted by how often each
 * was drawn. One code path for both means the intervals measure exactly the figures reported.
 */
final class WeightedScores {
    /** sklearn's clipping, so a confident mistake costs a large but finite log loss. */
    static final double LOG_LOSS_EPSILON = 1e-15;

    private final double[] probability;
    private final boolean[] positive;
    private final double threshold;
    private final Auc auc;
    private final double[] logLoss;
    private final double[] squaredError;

    WeightedScores(double[] probabilityOfPositive, boolean[] isPositive, double threshold) {
        ProbabilityChecks.requireSameLength(probabilityOfPositive, isPositive);
        ProbabilityChecks.requireProbabilities(probabilityOfPositive);
        this.probability = probabilityOfPositive.clone();
        this.positive = isPositive.clone();
        this.threshold = threshold;
        int n = probability.length;
        this.auc = new Auc(probability, positive);
        this.logLoss = new double[n];
        this.squaredError = new double[n];
        for (int i = 0; i < n; i++) {
            double p = Math.min(1 - LOG_LOSS_EPSILON, Math.max(LOG_LOSS_EPSILON, probability[i]));
            double y = positive[i] ? 1 : 0;
            logLoss[i] = -(positive[i] ? Math.log(p) : Math.log(1 - p));
            squaredError[i] = (probability[i] - y) * (probability[i] - y);
        }
    }

    int size() {
        return probability.length;
    }

    int[] unitWeights() {
        int[] w = new int[size()];
        Arrays.fill(w, 1);
        return w;
    }

    Confusion confusion(int[] weight) {
        long tp = 0;
        long fp = 0;
        long tn = 0;
        long fn = 0;
        for (int i = 0; i < probability.length; i++) {
            int w = weight[i];
            if (w == 0) {
                continue;
            }
            boolean called = probability[i] >= threshold;
            if (positive[i]) {
                if (called) {
                    tp += w;
                } else {
                    fn += w;
                }
            } else if (called) {
                fp += w;
            } else {
                tn += w;
            }
        }
        return new Confusion(tp, fp, tn, fn);
    }

    double logLoss(int[] weight) {
        return weightedMean(logLoss, weight);
    }

    double brier(int[] weight) {
        return weightedMean(squaredError, weight);
    }

    /** The Mann-Whitney AUC under the weighting ({@link Auc#weighted}); NaN when either class is absent. */
    double auc(int[] weight) {
        return auc.weighted(weight);
    }

    private static double weightedMean(double[] values, int[] weight) {
        double sum = 0;
        long count = 0;
        for (int i = 0; i < values.length; i++) {
            sum += weight[i] * values[i];
            count += weight[i];
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    static double f1(Confusion c) {
        double denominator = 2.0 * c.truePositives() + c.falsePositives() + c.falseNegatives();
        return denominator == 0 ? Double.NaN : 2.0 * c.truePositives() / denominator;
    }

    /** Matthews correlation; NaN when a row or column of the confusion matrix is empty. */
    static double mcc(Confusion c) {
        double tp = c.truePositives();
        double fp = c.falsePositives();
        double tn = c.trueNegatives();
        double fn = c.falseNegatives();
        double denominator = Math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn));
        return denominator == 0 ? Double.NaN : (tp * tn - fp * fn) / denominator;
    }
}
