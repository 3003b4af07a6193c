package org.smearscan.field.truth;

import java.util.List;
import java.util.function.ToIntFunction;
import org.smearscan.stats.ConfidenceIntervals;
import org.smearscan.stats.Estimate;

/**
 * Computes {@link FieldScores}: tallies each field ({@link FieldTally#of}), pools the counts for the
 * proportions (Wilson intervals) and bootstraps over fields for the F1 and the per-field means.
 */
final class FieldScoring {
    private FieldScoring() {}

    static FieldScores score(List<ScoredField> fields) {
        List<FieldTally> tallies = FieldTally.ofEach(fields);

        Estimate cellRecall = wilson(tallies, FieldTally::matched, FieldTally::boxes);
        Estimate infectedRecall = wilson(tallies, FieldTally::trueInfectedCalls, FieldTally::infectedBoxes);
        Estimate infectedPrecision = wilson(tallies, FieldTally::trueInfectedCalls, FieldTally::infectedCallsOnBoxes);
        Estimate infectedF1 = FieldBootstrap.estimate(tallies.size(), timesDrawn -> f1(
                FieldBootstrap.weightedSum(tallies, timesDrawn, FieldTally::trueInfectedCalls),
                FieldBootstrap.weightedSum(tallies, timesDrawn, FieldTally::infectedCallsOnBoxes),
                FieldBootstrap.weightedSum(tallies, timesDrawn, FieldTally::infectedBoxes)));
        Estimate countMae = FieldBootstrap.mean(tallies, FieldTally::infectedCountError);
        Estimate parasitemiaMae = FieldBootstrap.mean(tallies, FieldTally::parasitemiaError);
        int leftOut = (int) tallies.stream().filter(t -> Double.isNaN(t.parasitemiaError())).count();
        Estimate seconds = FieldBootstrap.mean(tallies, FieldTally::seconds);
        return new FieldScores(tallies, cellRecall, infectedRecall, infectedPrecision, infectedF1, countMae,
                parasitemiaMae, leftOut, seconds);
    }

    private static Estimate wilson(List<FieldTally> tallies, ToIntFunction<FieldTally> successes,
            ToIntFunction<FieldTally> trials) {
        return ConfidenceIntervals.wilson(tallies.stream().mapToLong(successes::applyAsInt).sum(),
                tallies.stream().mapToLong(trials::applyAsInt).sum());
    }

    /**
     * 2PR/(P+R) for precision P = truePositives / infectedCallsOnBoxes and recall R = truePositives /
     * infectedBoxes, which is 2·TP / (calls + boxes). Undefined (NaN) when P or R is; 0 when both are 0.
     */
    static double f1(long truePositives, long infectedCallsOnBoxes, long infectedBoxes) {
        if (infectedCallsOnBoxes == 0 || infectedBoxes == 0) {
            return Double.NaN;
        }
        return 2.0 * truePositives / (infectedCallsOnBoxes + infectedBoxes);
    }
}
