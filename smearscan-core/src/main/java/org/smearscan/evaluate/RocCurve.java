package org.smearscan.evaluate;

import java.util.ArrayList;
import java.util.List;

/**
 * The receiver operating characteristic: one point per distinct score, from the strictest threshold
 * (nothing called positive) to the loosest (everything called positive). Its area is the AUC, which
 * {@link org.smearscan.stats.Auc} computes from the scores directly.
 *
 * @param falsePositiveRate 1 - specificity at each threshold
 * @param truePositiveRate  sensitivity at each threshold
 * @param thresholds        the threshold of each point (+infinity for the first)
 */
public record RocCurve(double[] falsePositiveRate, double[] truePositiveRate, double[] thresholds) {

    public static RocCurve of(double[] probabilityOfPositive, boolean[] isPositive) {
        ProbabilityChecks.requireSameLength(probabilityOfPositive, isPositive);
        int n = probabilityOfPositive.length;
        Integer[] order = new Integer[n];
        long positives = 0;
        for (int i = 0; i < n; i++) {
            order[i] = i;
            positives += isPositive[i] ? 1 : 0;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            throw new IllegalArgumentException("an ROC curve needs both positive and negative images");
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(probabilityOfPositive[b], probabilityOfPositive[a]));
        List<double[]> points = new ArrayList<>();
        points.add(new double[] {0, 0, Double.POSITIVE_INFINITY});
        long tp = 0;
        long fp = 0;
        int i = 0;
        while (i < n) {
            double score = probabilityOfPositive[order[i]];
            // Tied scores cross the threshold together, so they make one diagonal step.
            while (i < n && probabilityOfPositive[order[i]] == score) {
                if (isPositive[order[i]]) {
                    tp++;
                } else {
                    fp++;
                }
                i++;
            }
            points.add(new double[] {(double) fp / negatives, (double) tp / positives, score});
        }
        double[] fpr = new double[points.size()];
        double[] tpr = new double[points.size()];
        double[] thresholds = new double[points.size()];
        for (int k = 0; k < points.size(); k++) {
            fpr[k] = points.get(k)[0];
            tpr[k] = points.get(k)[1];
            thresholds[k] = points.get(k)[2];
        }
        return new RocCurve(fpr, tpr, thresholds);
    }
}
