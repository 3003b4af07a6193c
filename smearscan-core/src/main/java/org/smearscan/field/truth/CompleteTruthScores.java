package org.smearscan.field.truth;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Predicate;
import org.smearscan.stats.ConfidenceIntervals;
import org.smearscan.stats.Estimate;

/**
 * Scores against fields where every cell is known (fields composed from single-cell crops): there a
 * detection no box covers is a false detection, so detection precision means something, and the true
 * parasitemia is exact rather than an estimate from the boxes. Counting follows {@link FieldTally}: match
 * first, then leave out the border and difficult boxes with their partners.
 *
 * @param perField           each field's counts, in the order scored
 * @param detectionPrecision share of counted detections that match a counted cell (IoU at least 0.5), Wilson
 * @param detectionRecall    share of counted cells matched by a detection, Wilson
 * @param parasitemiaError   |detected − true parasitemia| in percentage points over all fields where both are
 *                           defined
 * @param parasitemiaError2To10 the same over the fields whose true parasitemia is 2% to 10% (both included),
 *                           the range where a screen's count decides treatment and follow-up
 * @param fieldsLeftOut      fields without counted detections or cells, where the parasitemia error is undefined
 */
public record CompleteTruthScores(List<FieldTally> perField, Estimate detectionPrecision, Estimate detectionRecall,
        ParasitemiaError parasitemiaError, ParasitemiaError parasitemiaError2To10, int fieldsLeftOut) {

    /**
     * The absolute parasitemia error over a set of fields.
     *
     * @param fields how many fields it is over
     * @param mean   mean error, percentage points; NaN over no fields
     * @param max    largest error, percentage points; NaN over no fields
     */
    public record ParasitemiaError(int fields, double mean, double max) {
        static ParasitemiaError over(List<FieldTally> tallies, Predicate<FieldTally> included) {
            double[] errors = tallies.stream().filter(included).mapToDouble(FieldTally::parasitemiaError)
                    .filter(e -> !Double.isNaN(e)).toArray();
            if (errors.length == 0) {
                return new ParasitemiaError(0, Double.NaN, Double.NaN);
            }
            double sum = 0;
            double max = 0;
            for (double e : errors) {
                sum += e;
                max = Math.max(max, e);
            }
            return new ParasitemiaError(errors.length, sum / errors.length, max);
        }

        ObjectNode toJson() {
            ObjectNode json = JsonNodeFactory.instance.objectNode();
            json.put("fields", fields);
            ScoreFormat.putNumber(json, "mean", mean);
            ScoreFormat.putNumber(json, "max", max);
            return json;
        }

        String text() {
            return fields == 0 ? "undefined (no field)"
                    : String.format(Locale.ROOT, "mean %.2f, max %.2f percentage points over %d field%s", mean, max,
                            fields, fields == 1 ? "" : "s");
        }
    }

    public CompleteTruthScores {
        perField = List.copyOf(perField);
        Objects.requireNonNull(detectionPrecision, "detectionPrecision");
        Objects.requireNonNull(detectionRecall, "detectionRecall");
        Objects.requireNonNull(parasitemiaError, "parasitemiaError");
        Objects.requireNonNull(parasitemiaError2To10, "parasitemiaError2To10");
    }

    /**
     * Scores fields whose {@code truth} holds every cell.
     *
     * @throws IllegalArgumentException when there are no fields or one name comes twice
     */
    public static CompleteTruthScores score(List<ScoredField> fields) {
        List<FieldTally> tallies = FieldTally.ofEach(fields);
        long matched = tallies.stream().mapToLong(FieldTally::matched).sum();
        long detections = tallies.stream().mapToLong(FieldTally::detections).sum();
        long cells = tallies.stream().mapToLong(FieldTally::boxes).sum();
        int leftOut = (int) tallies.stream().filter(t -> Double.isNaN(t.parasitemiaError())).count();
        return new CompleteTruthScores(tallies, ConfidenceIntervals.wilson(matched, detections),
                ConfidenceIntervals.wilson(matched, cells), ParasitemiaError.over(tallies, t -> true),
                ParasitemiaError.over(tallies, CompleteTruthScores::trueParasitemia2To10), leftOut);
    }

    /** 2% ≤ infected / cells ≤ 10%, compared in whole numbers so that exactly 2% or 10% is not lost to rounding. */
    static boolean trueParasitemia2To10(FieldTally tally) {
        return tally.boxes() > 0 && 50L * tally.infectedBoxes() >= tally.boxes()
                && 10L * tally.infectedBoxes() <= tally.boxes();
    }

    /** The number of fields scored. */
    public int fields() {
        return perField.size();
    }

    /** Detections counted, after the border rule. */
    public int detections() {
        return perField.stream().mapToInt(FieldTally::detections).sum();
    }

    /** Cells of the reference counted, after the border rule. */
    public int truthCells() {
        return perField.stream().mapToInt(FieldTally::boxes).sum();
    }

    /**
     * The figures as JSON: {@code fields, detections, truth_cells, detection_precision, detection_recall}
     * ({@code {"value", "low", "high"}}), {@code parasitemia_error, parasitemia_error_2_to_10}
     * ({@code {"fields", "mean", "max"}}) and {@code fields_left_out}; null where undefined.
     */
    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("fields", fields());
        json.put("detections", detections());
        json.put("truth_cells", truthCells());
        json.set("detection_precision", ScoreFormat.figure(detectionPrecision));
        json.set("detection_recall", ScoreFormat.figure(detectionRecall));
        json.set("parasitemia_error", parasitemiaError.toJson());
        json.set("parasitemia_error_2_to_10", parasitemiaError2To10.toJson());
        json.put("fields_left_out", fieldsLeftOut);
        return json;
    }

    /** Each figure on its own line. */
    public String summaryText() {
        StringBuilder out = new StringBuilder();
        line(out, "fields", fields() + (fieldsLeftOut == 0 ? ""
                : " (" + fieldsLeftOut + " without detections or cells left out of the parasitemia error)"));
        line(out, "detections", detections() + " against " + truthCells() + " cells (within "
                + FieldTally.BORDER_MARGIN + " px of the border left out)");
        line(out, "detection precision", ScoreFormat.estimate(detectionPrecision, 4));
        line(out, "detection recall", ScoreFormat.estimate(detectionRecall, 4));
        line(out, "parasitemia error", parasitemiaError.text());
        line(out, "  at 2-10%", parasitemiaError2To10.text());
        return out.toString();
    }

    private static void line(StringBuilder out, String name, String value) {
        out.append(String.format(Locale.ROOT, "%-21s%s\n", name, value));
    }
}
