package org.smearscan.evaluate;

import java.util.Arrays;
import org.smearscan.stats.ConfidenceIntervals;
import org.smearscan.stats.Estimate;

/**
 * A decision threshold and what it achieves. A screening test is set for sensitivity first (a missed
 * infection costs more than a second look at a clean cell), so the usual question is: what is the highest
 * threshold that still catches the target fraction of infected cells, and what specificity is left there?
 *
 * @param threshold         probability of the positive class at or above which an image is called positive
 * @param targetSensitivity the sensitivity asked for, or NaN when the threshold was given instead
 * @param confusion         decisions at the threshold
 * @param sensitivity       achieved sensitivity with its Wilson interval
 * @param specificity       specificity with its Wilson interval
 */
public record OperatingPoint(
        double threshold, double targetSensitivity, Confusion confusion, Estimate sensitivity, Estimate specificity) {

    /** The default target: miss at most 2 infected cells in 100. */
    public static final double DEFAULT_TARGET_SENSITIVITY = 0.98;

    /** The figures at a given threshold. */
    public static OperatingPoint at(double[] probabilityOfPositive, boolean[] isPositive, double threshold) {
        return of(probabilityOfPositive, isPositive, threshold, Double.NaN);
    }

    /**
     * The highest threshold whose sensitivity on these images is at least {@code target}. Chosen on the
     * images it is then measured on, so the sensitivity is met by construction; the specificity there is
     * the honest part, and a threshold meant for use should be chosen on validation images and checked
     * on others.
     */
    public static OperatingPoint forSensitivity(double[] probabilityOfPositive, boolean[] isPositive, double target) {
        ProbabilityChecks.requireSameLength(probabilityOfPositive, isPositive);
        if (!(target > 0 && target <= 1)) {
            throw new IllegalArgumentException("target sensitivity must be in (0, 1], got " + target);
        }
        double[] positiveScores = new double[probabilityOfPositive.length];
        int positives = 0;
        for (int i = 0; i < probabilityOfPositive.length; i++) {
            if (isPositive[i]) {
                positiveScores[positives++] = probabilityOfPositive[i];
            }
        }
        if (positives == 0) {
            throw new IllegalArgumentException("no positive images: a sensitivity target cannot be met or measured");
        }
        double[] descending = Arrays.copyOf(positiveScores, positives);
        Arrays.sort(descending);
        // Calling the k highest-scoring positives positive reaches the target; the small tolerance keeps
        // 0.98 * 50 (= 49.000000000000004 in floating point) from asking for 50.
        int needed = (int) Math.ceil(target * positives - 1e-9);
        double threshold = descending[positives - needed];
        return of(probabilityOfPositive, isPositive, threshold, target);
    }

    private static OperatingPoint of(double[] p, boolean[] positive, double threshold, double target) {
        Confusion c = Confusion.at(p, positive, threshold);
        return new OperatingPoint(threshold, target, c,
                ConfidenceIntervals.wilson(c.truePositives(), c.positives()),
                ConfidenceIntervals.wilson(c.trueNegatives(), c.negatives()));
    }
}
