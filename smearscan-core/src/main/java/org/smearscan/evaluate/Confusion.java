package org.smearscan.evaluate;

/**
 * Counts of a binary decision against the truth. "Positive" is the class a screening test looks for
 * (Parasitized).
 */
public record Confusion(long truePositives, long falsePositives, long trueNegatives, long falseNegatives) {

    public Confusion {
        if (truePositives < 0 || falsePositives < 0 || trueNegatives < 0 || falseNegatives < 0) {
            throw new IllegalArgumentException("confusion counts cannot be negative");
        }
    }

    /** Calls an image positive when its probability is at or above {@code threshold}. */
    public static Confusion at(double[] probabilityOfPositive, boolean[] isPositive, double threshold) {
        ProbabilityChecks.requireSameLength(probabilityOfPositive, isPositive);
        long tp = 0;
        long fp = 0;
        long tn = 0;
        long fn = 0;
        for (int i = 0; i < probabilityOfPositive.length; i++) {
            boolean called = probabilityOfPositive[i] >= threshold;
            if (isPositive[i]) {
                if (called) {
                    tp++;
                } else {
                    fn++;
                }
            } else if (called) {
                fp++;
            } else {
                tn++;
            }
        }
        return new Confusion(tp, fp, tn, fn);
    }

    public long total() {
        return truePositives + falsePositives + trueNegatives + falseNegatives;
    }

    public long positives() {
        return truePositives + falseNegatives;
    }

    public long negatives() {
        return trueNegatives + falsePositives;
    }

    public long correct() {
        return truePositives + trueNegatives;
    }

    public long wrong() {
        return falsePositives + falseNegatives;
    }
}
