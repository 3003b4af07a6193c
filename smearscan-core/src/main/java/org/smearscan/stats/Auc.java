package org.smearscan.stats;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * The area under the ROC curve, as the Mann-Whitney statistic: the probability that a random positive
 * scores above a random negative, ties counting one half. This equals the trapezoid area under the ROC
 * curve, whose tied scores make one diagonal step.
 *
 * <p>The scores are sorted once, so the AUC under many weightings of the same images (a bootstrap) costs
 * one linear pass each. The one implementation: training's per-epoch AUC and the evaluation's AUC with
 * its bootstrap interval both use it.
 */
public final class Auc {
    private final double[] score;
    private final boolean[] positive;
    /** Image indices by ascending score. */
    private final int[] ascending;

    /** @throws IllegalArgumentException when the arrays differ in length */
    public Auc(double[] score, boolean[] positive) {
        if (score.length != positive.length) {
            throw new IllegalArgumentException("got " + score.length + " scores but " + positive.length + " labels");
        }
        this.score = score.clone();
        this.positive = positive.clone();
        this.ascending = IntStream.range(0, score.length).boxed()
                .sorted(Comparator.comparingDouble(i -> this.score[i]))
                .mapToInt(Integer::intValue).toArray();
    }

    /** The AUC of the scores; NaN when either class is absent. */
    public static double of(double[] score, boolean[] positive) {
        return new Auc(score, positive).value();
    }

    /** As {@link #of(double[], boolean[])}, for single-precision scores. */
    public static double of(float[] score, boolean[] positive) {
        double[] wide = new double[score.length];
        for (int i = 0; i < score.length; i++) {
            wide[i] = score[i];
        }
        return of(wide, positive);
    }

    /** The AUC with every image counted once; NaN when either class is absent. */
    public double value() {
        int[] once = new int[score.length];
        Arrays.fill(once, 1);
        return weighted(once);
    }

    /**
     * The AUC with image {@code i} counted {@code weight[i]} times (a bootstrap resample is the images
     * weighted by how often each was drawn). Walks the images in ascending order one group of equal scores
     * at a time; NaN when either class has no weight.
     */
    public double weighted(int[] weight) {
        if (weight.length != score.length) {
            throw new IllegalArgumentException("got " + weight.length + " weights for " + score.length + " scores");
        }
        double negativesBelow = 0;
        double pairsWon = 0;
        double positives = 0;
        int i = 0;
        while (i < ascending.length) {
            int j = i;
            double groupPositives = 0;
            double groupNegatives = 0;
            while (j < ascending.length && tied(score[ascending[j]], score[ascending[i]])) {
                int image = ascending[j];
                if (positive[image]) {
                    groupPositives += weight[image];
                } else {
                    groupNegatives += weight[image];
                }
                j++;
            }
            pairsWon += groupPositives * (negativesBelow + 0.5 * groupNegatives);
            negativesBelow += groupNegatives;
            positives += groupPositives;
            i = j;
        }
        if (positives == 0 || negativesBelow == 0) {
            return Double.NaN;
        }
        return pairsWon / (positives * negativesBelow);
    }

    /** Equal scores; NaN scores (a diverged network) tie with each other and rank above every number. */
    private static boolean tied(double a, double b) {
        return a == b || (Double.isNaN(a) && Double.isNaN(b));
    }
}
