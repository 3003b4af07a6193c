package org.smearscan.train;

import org.smearscan.stats.Auc;

/**
 * Class probabilities of a pass over a batch source, in the source's order.
 *
 * @param probabilities softmax outputs, [image][class]
 * @param labels        true class of each image
 * @param indices       the images' positions in the list the source was built from
 * @param meanLoss      mean cross-entropy
 */
public record Predictions(float[][] probabilities, int[] labels, int[] indices, double meanLoss) {

    public int size() {
        return labels.length;
    }

    public EpochMetrics metrics(int positiveClass) {
        int n = labels.length;
        int right = 0;
        float[] positiveScore = new float[n];
        boolean[] isPositive = new boolean[n];
        for (int i = 0; i < n; i++) {
            float[] p = probabilities[i];
            int best = 0;
            for (int c = 1; c < p.length; c++) {
                if (p[c] > p[best]) {
                    best = c;
                }
            }
            if (best == labels[i]) {
                right++;
            }
            positiveScore[i] = p[positiveClass];
            isPositive[i] = labels[i] == positiveClass;
        }
        double accuracy = n == 0 ? Double.NaN : (double) right / n;
        return new EpochMetrics(meanLoss, accuracy, Auc.of(positiveScore, isPositive), n);
    }
}
