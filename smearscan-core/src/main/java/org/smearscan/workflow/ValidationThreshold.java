package org.smearscan.workflow;

import java.util.Arrays;

/**
 * The decision threshold a field model counts with. Parasitemia is a count of rare positives: at 2% prevalence
 * each point of specificity lost adds half as many false calls as there are true ones, so the threshold is the
 * one that maximises the F1 of the infected class on the validation cells, not a balanced accuracy.
 */
final class ValidationThreshold {
    /** Probabilities of being infected and the truth, one per validation cell. */
    record Scored(double[] probability, boolean[] infected) {}

    private ValidationThreshold() {}

    /**
     * The threshold with the best F1, placed midway between the probabilities it separates; among equally good
     * ones, the highest (fewest calls). 0.5 when there is no infected cell to learn it from.
     */
    static double bestF1(Scored scored) {
        int n = scored.probability().length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scored.probability()[b], scored.probability()[a]));
        int positives = 0;
        for (boolean b : scored.infected()) {
            positives += b ? 1 : 0;
        }
        if (positives == 0) {
            return 0.5;
        }
        double bestF1 = -1;
        double best = 0.5;
        int truePositives = 0;
        for (int k = 0; k < n; k++) {
            if (scored.infected()[order[k]]) {
                truePositives++;
            }
            double current = scored.probability()[order[k]];
            double next = k + 1 < n ? scored.probability()[order[k + 1]] : 0;
            if (k + 1 < n && next == current) {
                continue; // a threshold cannot separate equal probabilities
            }
            double f1 = 2.0 * truePositives / (k + 1 + positives);
            if (f1 > bestF1) {
                bestF1 = f1;
                best = (current + next) / 2;
            }
        }
        return best;
    }
}
