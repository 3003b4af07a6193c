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

    /** Share of images whose arg-max class is their label (NaN for none). */
    public double accuracy() {
        int right = 0;
        for (int i = 0; i < labels.length; i++) {
            if (argMax(probabilities[i]) == labels[i]) {
                right++;
            }
        }
        return labels.length == 0 ? Double.NaN : (double) right / labels.length;
    }

    /** Area under the ROC curve of {@code positiveClass}'s probability (NaN when a class is missing). */
    public double auc(int positiveClass) {
        int n = labels.length;
        float[] positiveScore = new float[n];
        boolean[] isPositive = new boolean[n];
        for (int i = 0; i < n; i++) {
            positiveScore[i] = probabilities[i][positiveClass];
            isPositive[i] = labels[i] == positiveClass;
        }
        return Auc.of(positiveScore, isPositive);
    }

    private static int argMax(float[] p) {
        int best = 0;
        for (int c = 1; c < p.length; c++) {
            if (p[c] > p[best]) {
                best = c;
            }
        }
        return best;
    }
}
