package org.smearscan.field.truth;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.smearscan.stats.Estimate;

/**
 * How well a detector and classifier screen annotated fields, against boxes that cover most but not all cells
 * (IML-Malaria). So there is no detection precision here: a detection no box covers may be a cell nobody
 * boxed. What the boxes support is below; every figure follows the rules of {@link FieldTally} (match first,
 * then leave out the border and difficult boxes with their partners). Proportions pool the counts of all
 * fields with Wilson intervals; the F1 and the means over fields have bootstrap intervals over fields
 * ({@link FieldBootstrap}).
 *
 * @param perField                 each field's counts, in the order scored
 * @param cellRecall               share of counted boxes matched by a detection (IoU at least 0.5)
 * @param infectedRecall           share of infected boxes matched by a detection called infected; an infected
 *                                 box no detection matches counts as missed
 * @param infectedPrecision        among matched detections called infected, share whose box is infected;
 *                                 undefined when there are none
 * @param infectedF1               2PR/(P+R) of the two above, from the pooled counts
 * @param infectedCountMae         mean over fields of |infected calls − infected boxes|
 * @param parasitemiaMae           mean over fields of |detected − box parasitemia|, percentage points
 * @param parasitemiaFieldsLeftOut fields without counted detections or without counted boxes, where the
 *                                 parasitemia error is undefined and which {@code parasitemiaMae} leaves out
 * @param secondsPerField          mean wall time per field
 */
public record FieldScores(List<FieldTally> perField, Estimate cellRecall, Estimate infectedRecall,
        Estimate infectedPrecision, Estimate infectedF1, Estimate infectedCountMae, Estimate parasitemiaMae,
        int parasitemiaFieldsLeftOut, Estimate secondsPerField) {

    public FieldScores {
        perField = List.copyOf(perField);
        Objects.requireNonNull(cellRecall, "cellRecall");
        Objects.requireNonNull(infectedRecall, "infectedRecall");
        Objects.requireNonNull(infectedPrecision, "infectedPrecision");
        Objects.requireNonNull(infectedF1, "infectedF1");
        Objects.requireNonNull(infectedCountMae, "infectedCountMae");
        Objects.requireNonNull(parasitemiaMae, "parasitemiaMae");
        Objects.requireNonNull(secondsPerField, "secondsPerField");
    }

    /**
     * Scores the fields.
     *
     * @throws IllegalArgumentException when there are no fields or one name comes twice
     */
    public static FieldScores score(List<ScoredField> fields) {
        return FieldScoring.score(fields);
    }

    /** The number of fields scored. */
    public int fields() {
        return perField.size();
    }

    /** The number of detections scored, after the border rule. */
    public int cells() {
        return perField.stream().mapToInt(FieldTally::detections).sum();
    }

    /**
     * The figures as JSON, keys {@code fields, cells, cell_recall, infected_recall, infected_precision,
     * infected_f1, infected_count_mae, parasitemia_mae, seconds_per_field}; each figure
     * {@code {"value", "low", "high"}}, null where undefined.
     */
    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("fields", fields());
        json.put("cells", cells());
        json.set("cell_recall", ScoreFormat.figure(cellRecall));
        json.set("infected_recall", ScoreFormat.figure(infectedRecall));
        json.set("infected_precision", ScoreFormat.figure(infectedPrecision));
        json.set("infected_f1", ScoreFormat.figure(infectedF1));
        json.set("infected_count_mae", ScoreFormat.figure(infectedCountMae));
        json.set("parasitemia_mae", ScoreFormat.figure(parasitemiaMae));
        json.set("seconds_per_field", ScoreFormat.figure(secondsPerField));
        return json;
    }

    /** One row per field, for reading the fields behind the pooled figures; "-" where a figure is undefined. */
    public String perFieldTable() {
        List<String> header = List.of("field", "boxes", "detections", "matched", "cell recall", "infected boxes",
                "infected calls", "true infected calls", "box parasitemia %", "detected parasitemia %", "seconds");
        List<List<String>> rows = perField.stream().map(t -> List.of(t.name(), Integer.toString(t.boxes()),
                Integer.toString(t.detections()), Integer.toString(t.matched()), ScoreFormat.number(t.cellRecall(), 3),
                Integer.toString(t.infectedBoxes()), Integer.toString(t.infectedCalls()),
                Integer.toString(t.trueInfectedCalls()), ScoreFormat.number(t.boxParasitemia(), 2),
                ScoreFormat.number(t.detectedParasitemia(), 2), ScoreFormat.number(t.seconds(), 2))).toList();
        return ScoreFormat.table(header, rows);
    }

    /** Each figure with its 95% interval, one per line. */
    public String summaryText() {
        StringBuilder out = new StringBuilder();
        line(out, "fields", Integer.toString(fields()));
        line(out, "cells", cells() + " detections scored (within " + FieldTally.BORDER_MARGIN
                + " px of the border left out)");
        line(out, "cell recall", ScoreFormat.estimate(cellRecall, 4));
        line(out, "infected recall", ScoreFormat.estimate(infectedRecall, 4));
        line(out, "infected precision", ScoreFormat.estimate(infectedPrecision, 4)
                + (infectedPrecision.isDefined() ? "" : " (no matched detection called infected)"));
        line(out, "infected F1", ScoreFormat.estimate(infectedF1, 4));
        line(out, "infected count MAE", ScoreFormat.estimate(infectedCountMae, 2) + " cells per field");
        line(out, "parasitemia MAE", ScoreFormat.estimate(parasitemiaMae, 2) + " percentage points"
                + (parasitemiaFieldsLeftOut == 0 ? "" : String.format(Locale.ROOT,
                        " (%d field%s without detections or boxes left out)", parasitemiaFieldsLeftOut,
                        parasitemiaFieldsLeftOut == 1 ? "" : "s")));
        line(out, "seconds per field", ScoreFormat.estimate(secondsPerField, 2) + " s");
        return out.toString();
    }

    private static void line(StringBuilder out, String name, String value) {
        out.append(String.format(Locale.ROOT, "%-20s%s\n", name, value));
    }
}
