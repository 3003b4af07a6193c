package org.smearscan.evaluate;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether a model's confidence can be taken at its word. Confidence is that of the predicted class
 * (the larger of p and 1 - p), as in Guo et al. 2017, "On Calibration of Modern Neural Networks"; the
 * fix they found best, temperature scaling, divides the logits by one number fitted on validation images.
 */
public final class Calibration {
    public static final int DEFAULT_BINS = 10;

    /** The temperatures searched; far outside these a model is broken rather than miscalibrated. */
    static final double MIN_TEMPERATURE = 0.05;
    static final double MAX_TEMPERATURE = 20;

    private Calibration() {}

    /**
     * One bin of a reliability table: predictions whose confidence lies in (lower, upper] (the first bin
     * also takes 0).
     *
     * @param meanConfidence mean confidence of the bin's predictions (NaN when empty)
     * @param accuracy       fraction of them that were right (NaN when empty)
     */
    public record Bin(double lower, double upper, int count, double meanConfidence, double accuracy) {}

    /**
     * A reliability table with its expected calibration error (the count-weighted mean gap between
     * confidence and accuracy) and maximum calibration error (the largest gap of a non-empty bin).
     */
    public record Reliability(List<Bin> bins, double expectedCalibrationError, double maximumCalibrationError) {}

    /** How temperature scaling changed the validation negative log-likelihood. */
    public record TemperatureFit(double temperature, double nllBefore, double nllAfter) {
        /**
         * Whether the fit stopped at an end of the searched range [0.05, 20]: the logits are then so far off
         * (or so perfectly separated) that one temperature cannot fix them.
         */
        public boolean atSearchLimit() {
            return temperature < MIN_TEMPERATURE * 1.001 || temperature > MAX_TEMPERATURE / 1.001;
        }
    }

    public static Reliability reliability(double[] probabilityOfPositive, boolean[] isPositive) {
        return reliability(probabilityOfPositive, isPositive, DEFAULT_BINS);
    }

    public static Reliability reliability(double[] probabilityOfPositive, boolean[] isPositive, int binCount) {
        ProbabilityChecks.requireSameLength(probabilityOfPositive, isPositive);
        ProbabilityChecks.requireProbabilities(probabilityOfPositive);
        if (binCount < 1) {
            throw new IllegalArgumentException("a reliability table needs at least one bin");
        }
        int[] count = new int[binCount];
        double[] confidenceSum = new double[binCount];
        int[] correct = new int[binCount];
        for (int i = 0; i < probabilityOfPositive.length; i++) {
            double p = probabilityOfPositive[i];
            boolean predictedPositive = p >= 0.5;
            double confidence = predictedPositive ? p : 1 - p;
            int bin = Math.min(binCount - 1, Math.max(0, (int) Math.ceil(confidence * binCount) - 1));
            count[bin]++;
            confidenceSum[bin] += confidence;
            correct[bin] += predictedPositive == isPositive[i] ? 1 : 0;
        }
        List<Bin> bins = new ArrayList<>();
        double ece = 0;
        double mce = 0;
        int n = probabilityOfPositive.length;
        for (int b = 0; b < binCount; b++) {
            double meanConfidence = count[b] == 0 ? Double.NaN : confidenceSum[b] / count[b];
            double accuracy = count[b] == 0 ? Double.NaN : (double) correct[b] / count[b];
            bins.add(new Bin((double) b / binCount, (double) (b + 1) / binCount, count[b], meanConfidence, accuracy));
            if (count[b] > 0) {
                double gap = Math.abs(accuracy - meanConfidence);
                ece += gap * count[b] / n;
                mce = Math.max(mce, gap);
            }
        }
        return new Reliability(List.copyOf(bins), n == 0 ? Double.NaN : ece, n == 0 ? Double.NaN : mce);
    }

    /** Mean negative log-likelihood of the labels under softmax(logits / temperature). */
    public static double negativeLogLikelihood(float[][] logits, int[] labels, double temperature) {
        if (logits.length != labels.length) {
            throw new IllegalArgumentException("got " + logits.length + " logit rows but " + labels.length + " labels");
        }
        double total = 0;
        for (int i = 0; i < logits.length; i++) {
            float[] z = logits[i];
            double max = Double.NEGATIVE_INFINITY;
            for (float v : z) {
                max = Math.max(max, v / temperature);
            }
            double sum = 0;
            for (float v : z) {
                sum += Math.exp(v / temperature - max);
            }
            total += max + Math.log(sum) - z[labels[i]] / temperature;
        }
        return total / logits.length;
    }

    /**
     * The temperature that minimises the NLL of {@code labels} under softmax(logits / T). The NLL is convex
     * in 1/T, hence unimodal in log T, so a golden-section search on log T over [0.05, 20] finds it.
     * Fit on validation images, then store it with {@code ModelInfo.withTemperature}; it does not change
     * which class is predicted, only how sure the model says it is.
     */
    public static TemperatureFit fitTemperature(float[][] logits, int[] labels) {
        if (logits.length == 0) {
            throw new IllegalArgumentException("no logits to fit a temperature on");
        }
        double lo = Math.log(MIN_TEMPERATURE);
        double hi = Math.log(MAX_TEMPERATURE);
        double ratio = (Math.sqrt(5) - 1) / 2;
        double a = hi - ratio * (hi - lo);
        double b = lo + ratio * (hi - lo);
        double fa = negativeLogLikelihood(logits, labels, Math.exp(a));
        double fb = negativeLogLikelihood(logits, labels, Math.exp(b));
        while (hi - lo > 1e-7) {
            if (fa <= fb) {
                hi = b;
                b = a;
                fb = fa;
                a = hi - ratio * (hi - lo);
                fa = negativeLogLikelihood(logits, labels, Math.exp(a));
            } else {
                lo = a;
                a = b;
                fa = fb;
                b = lo + ratio * (hi - lo);
                fb = negativeLogLikelihood(logits, labels, Math.exp(b));
            }
        }
        double temperature = Math.exp((lo + hi) / 2);
        return new TemperatureFit(temperature, negativeLogLikelihood(logits, labels, 1),
                negativeLogLikelihood(logits, labels, temperature));
    }
}
