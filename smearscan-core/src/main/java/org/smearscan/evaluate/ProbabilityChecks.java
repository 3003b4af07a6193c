package org.smearscan.evaluate;

/** Checks shared by the functions that take parallel arrays of probabilities and truths. */
final class ProbabilityChecks {
    private ProbabilityChecks() {}

    static void requireSameLength(double[] probabilities, boolean[] truths) {
        if (probabilities.length != truths.length) {
            throw new IllegalArgumentException("got " + probabilities.length + " probabilities but "
                    + truths.length + " labels");
        }
    }

    static void requireProbabilities(double[] probabilities) {
        for (int i = 0; i < probabilities.length; i++) {
            double p = probabilities[i];
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("probability " + i + " is " + p + ", outside [0, 1]");
            }
        }
    }
}
