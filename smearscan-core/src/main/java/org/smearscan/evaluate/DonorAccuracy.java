package org.smearscan.evaluate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.smearscan.stats.ConfidenceIntervals;
import org.smearscan.stats.Estimate;

/**
 * Accuracy over one donor's cells. Cells from one smear share staining and focus, so a model can do well
 * on average and fail one patient; the worst donors show that.
 *
 * @param donor       the donor's identifier (from the file name)
 * @param images      cells of this donor scored
 * @param correct     cells classified correctly
 * @param parasitized cells of this donor that are truly positive
 * @param accuracy    correct / images with its Wilson interval
 */
public record DonorAccuracy(String donor, int images, int correct, int parasitized, Estimate accuracy) {

    /** Worst first: lowest accuracy, then the donor with more images (the surer failure), then by name. */
    public static final Comparator<DonorAccuracy> WORST_FIRST = Comparator
            .comparingDouble((DonorAccuracy d) -> d.accuracy().value())
            .thenComparing(Comparator.comparingInt(DonorAccuracy::images).reversed())
            .thenComparing(DonorAccuracy::donor);

    /** One row per donor, worst first. */
    public static List<DonorAccuracy> table(List<String> donors, boolean[] correct, boolean[] isPositive) {
        if (donors.size() != correct.length || correct.length != isPositive.length) {
            throw new IllegalArgumentException("got " + donors.size() + " donors, " + correct.length
                    + " decisions and " + isPositive.length + " labels");
        }
        Map<String, int[]> counts = new LinkedHashMap<>();
        for (int i = 0; i < correct.length; i++) {
            int[] c = counts.computeIfAbsent(donors.get(i), k -> new int[3]);
            c[0]++;
            c[1] += correct[i] ? 1 : 0;
            c[2] += isPositive[i] ? 1 : 0;
        }
        List<DonorAccuracy> rows = new ArrayList<>();
        counts.forEach((donor, c) -> rows.add(
                new DonorAccuracy(donor, c[0], c[1], c[2], ConfidenceIntervals.wilson(c[1], c[0]))));
        rows.sort(WORST_FIRST);
        return rows;
    }

    /** Convenience: decisions made at {@code threshold}. */
    public static List<DonorAccuracy> table(List<String> donors, double[] probabilityOfPositive, boolean[] isPositive,
            double threshold) {
        ProbabilityChecks.requireSameLength(probabilityOfPositive, isPositive);
        boolean[] correct = new boolean[probabilityOfPositive.length];
        for (int i = 0; i < correct.length; i++) {
            correct[i] = (probabilityOfPositive[i] >= threshold) == isPositive[i];
        }
        return table(donors, correct, isPositive);
    }

    /** The first {@code k} rows of a worst-first table. */
    public static List<DonorAccuracy> worst(List<DonorAccuracy> table, int k) {
        return List.copyOf(table.subList(0, Math.min(k, table.size())));
    }
}
