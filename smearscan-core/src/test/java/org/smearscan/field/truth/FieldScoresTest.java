package org.smearscan.field.truth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.smearscan.field.truth.CellType.DIFFICULT;
import static org.smearscan.field.truth.CellType.GAMETOCYTE;
import static org.smearscan.field.truth.CellType.RING;
import static org.smearscan.field.truth.CellType.SCHIZONT;
import static org.smearscan.field.truth.CellType.TROPHOZOITE;
import static org.smearscan.field.truth.CellType.UNINFECTED;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.smearscan.segment.Box;
import org.smearscan.stats.ConfidenceIntervals;

/**
 * Three 200 x 200 fields worked out by hand. A box or detection is at the border when x or y <= 3 or its
 * right or bottom edge >= 197.
 */
class FieldScoresTest {

    private static AnnotatedCell box(int x, int y, int w, int h, CellType type) {
        return new AnnotatedCell(new Box(x, y, w, h), type);
    }

    private static DetectedCell called(int x, int y, int w, int h, boolean infected) {
        return new DetectedCell(new Box(x, y, w, h), infected ? 0.9 : 0.1, infected);
    }

    /*
     * A: counted boxes t0 t1 t2 t3 t6 (5; infected t2 t3); counted detections d0 d1 d2 d5 (4; infected calls
     * d1 d2 d5); matched d0-t0 d1-t1 d2-t2 (3); infected calls on boxes d1 d2 (2), true: d2 (1).
     * Box parasitemia 2/5 = 40%, detected 3/4 = 75%: error 35; count error |3 - 2| = 1.
     */
    static ScoredField fieldA() {
        List<AnnotatedCell> truth = List.of(
                box(10, 10, 20, 20, UNINFECTED),   // t0
                box(40, 10, 20, 20, UNINFECTED),   // t1: matched by a false infected call
                box(70, 10, 20, 20, RING),         // t2: matched by a true infected call
                box(100, 10, 20, 20, TROPHOZOITE), // t3: infected, no detection: missed
                box(130, 10, 20, 20, DIFFICULT),   // t4: its detection (d3) is neither right nor wrong
                box(2, 50, 20, 20, UNINFECTED),    // t5: at the border (x 2), matched by d4 just inside it
                box(10, 100, 20, 20, UNINFECTED),  // t6: no detection: missed
                box(180, 180, 20, 20, UNINFECTED)); // t7: at the border (right 200), unmatched
        List<DetectedCell> detections = List.of(
                called(10, 10, 20, 20, false),   // d0 -> t0, IoU 1
                called(41, 10, 20, 20, true),    // d1 -> t1, IoU 380/420
                called(70, 11, 20, 20, true),    // d2 -> t2, IoU 380/420
                called(130, 10, 20, 20, true),   // d3 -> t4 (difficult): out of every count
                called(5, 50, 20, 20, false),    // d4 -> t5, IoU 340/460: leaves with its border box
                called(150, 150, 20, 20, true),  // d5: no box, counted as an infected call
                called(190, 100, 10, 10, true)); // d6: at the border (right 200): out
        return new ScoredField("A.JPG", 200, 200, detections, truth, 1.0);
    }

    /*
     * B: counted boxes t0..t4 (5; infected t0 t3); counted detections d0..d3 (4; infected call d0);
     * matched t0 t1 t3 (3); infected calls on boxes 1, true 1. Parasitemia 40% vs 25%: error 15; count error 1.
     */
    static ScoredField fieldB() {
        List<AnnotatedCell> truth = List.of(
                box(50, 50, 30, 30, SCHIZONT),     // t0: found and called infected
                box(100, 50, 30, 30, UNINFECTED),  // t1: found
                box(100, 100, 30, 30, UNINFECTED), // t2: missed
                box(150, 100, 30, 30, GAMETOCYTE), // t3: found but called uninfected
                box(20, 150, 20, 20, UNINFECTED),  // t4: its nearest detection has IoU 1/3 only
                box(4, 120, 20, 20, UNINFECTED));  // t5: inside, but its detection is at the border
        List<DetectedCell> detections = List.of(
                called(50, 50, 30, 30, true),
                called(100, 50, 30, 30, false),
                called(150, 100, 30, 30, false),
                called(30, 150, 20, 20, false),  // IoU 200/600 with t4: unmatched
                called(3, 120, 20, 20, false));  // at the border (x 3), IoU 380/420 with t5: both out
        return new ScoredField("B.JPG", 200, 200, detections, truth, 3.0);
    }

    /* C: no detections. Boxes 3, infected 2; count error 2; parasitemia undefined (left out). */
    static ScoredField fieldC() {
        return new ScoredField("C.JPG", 200, 200, List.of(), List.of(box(50, 50, 20, 20, RING),
                box(100, 50, 20, 20, RING), box(100, 100, 20, 20, UNINFECTED)), 2.0);
    }

    @Test
    void eachFieldIsTalliedByTheRules() {
        assertThat(FieldTally.of(fieldA())).isEqualTo(new FieldTally("A.JPG", 5, 2, 4, 3, 3, 2, 1, 1.0));
        assertThat(FieldTally.of(fieldB())).isEqualTo(new FieldTally("B.JPG", 5, 2, 4, 1, 3, 1, 1, 3.0));
        assertThat(FieldTally.of(fieldC())).isEqualTo(new FieldTally("C.JPG", 3, 2, 0, 0, 0, 0, 0, 2.0));
        FieldTally a = FieldTally.of(fieldA());
        assertThat(a.cellRecall()).isEqualTo(0.6);
        assertThat(a.boxParasitemia()).isCloseTo(40, within(1e-12));
        assertThat(a.detectedParasitemia()).isCloseTo(75, within(1e-12));
        assertThat(a.parasitemiaError()).isCloseTo(35, within(1e-12));
        assertThat(a.infectedCountError()).isEqualTo(1);
        assertThat(FieldTally.of(fieldC()).parasitemiaError()).isNaN();
    }

    /*
     * Dropping at the border before matching would count A's d4 (its box t5 gone) as a detection no box covers
     * (5 detections), and B's t5 (its detection gone) as a missed box (6 boxes).
     */
    @Test
    void matchingComesBeforeTheBorderRuleAndPairsLeaveTogether() {
        FieldTally a = FieldTally.of(fieldA());
        assertThat(a.detections()).isEqualTo(4);
        FieldTally b = FieldTally.of(fieldB());
        assertThat(b.boxes()).isEqualTo(5);
        assertThat(b.detections()).isEqualTo(4);
    }

    @Test
    void aDetectionOnADifficultBoxIsNeitherACallNorACell() {
        // Without the difficult box, d3 (called infected) would be an infected call no box covers.
        List<AnnotatedCell> withoutDifficult = new ArrayList<>(fieldA().truth());
        withoutDifficult.remove(4);
        ScoredField a = fieldA();
        FieldTally plain = FieldTally.of(new ScoredField("A2", 200, 200, a.detections(), withoutDifficult, 1.0));
        assertThat(plain.infectedCalls()).isEqualTo(4);
        assertThat(plain.detections()).isEqualTo(5);
        assertThat(FieldTally.of(a).infectedCalls()).isEqualTo(3);
        assertThat(FieldTally.of(a).boxes()).isEqualTo(plain.boxes());
    }

    /*
     * Pooled: boxes 13, matched 6; infected boxes 6, true infected calls 2, infected calls on boxes 3.
     * Cell recall 6/13, infected recall 2/6, precision 2/3, F1 = 2·(2/3)(1/3) / (2/3 + 1/3) = 4/9.
     * Count MAE (1 + 1 + 2) / 3 = 4/3; parasitemia MAE (35 + 15) / 2 = 25 with C left out; seconds 2.
     */
    @Test
    void pooledFiguresMatchTheHandCount() {
        FieldScores scores = FieldScores.score(List.of(fieldA(), fieldB(), fieldC()));

        assertThat(scores.fields()).isEqualTo(3);
        assertThat(scores.cells()).isEqualTo(8);
        assertThat(scores.cellRecall()).isEqualTo(ConfidenceIntervals.wilson(6, 13));
        assertThat(scores.cellRecall().value()).isCloseTo(6.0 / 13, within(1e-12));
        assertThat(scores.infectedRecall().value()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(scores.infectedRecall()).isEqualTo(ConfidenceIntervals.wilson(2, 6));
        assertThat(scores.infectedPrecision()).isEqualTo(ConfidenceIntervals.wilson(2, 3));
        assertThat(scores.infectedF1().value()).isCloseTo(4.0 / 9, within(1e-12));
        assertThat(scores.infectedCountMae().value()).isCloseTo(4.0 / 3, within(1e-12));
        assertThat(scores.parasitemiaMae().value()).isCloseTo(25, within(1e-12));
        assertThat(scores.parasitemiaFieldsLeftOut()).isEqualTo(1);
        assertThat(scores.secondsPerField().value()).isCloseTo(2, within(1e-12));
    }

    @Test
    void bootstrapIntervalsSpanTheFieldsAndRepeat() {
        List<ScoredField> fields = List.of(fieldA(), fieldB(), fieldC());
        FieldScores scores = FieldScores.score(fields);

        // Each resample's mean lies between the smallest and the largest field value; with 3 fields and 1000
        // resamples, both extremes (all drawn fields alike) come up more than 2.5% of the time.
        assertThat(scores.infectedCountMae().lo()).isEqualTo(1.0);
        assertThat(scores.infectedCountMae().hi()).isEqualTo(2.0);
        assertThat(scores.parasitemiaMae().lo()).isEqualTo(15.0);
        assertThat(scores.parasitemiaMae().hi()).isEqualTo(35.0);
        assertThat(scores.secondsPerField().lo()).isEqualTo(1.0);
        assertThat(scores.secondsPerField().hi()).isEqualTo(3.0);
        // F1 per resample: fields with (TP, calls on boxes, infected boxes) A (1, 2, 2), B (1, 1, 2), C (0, 0, 2).
        // Lowest defined: A and C only, e.g. A C C = 2/(2+6) = 0.25; highest: B alone = 2/3.
        assertThat(scores.infectedF1().lo()).isBetween(0.25, 4.0 / 9);
        assertThat(scores.infectedF1().hi()).isBetween(4.0 / 9, 2.0 / 3);
        assertThat(scores.infectedF1().lo()).isLessThan(scores.infectedF1().hi());

        assertThat(FieldScores.score(fields)).isEqualTo(scores);
    }

    @Test
    void precisionAndF1AreUndefinedWithoutInfectedCallsOnBoxes() {
        ScoredField noCalls = new ScoredField("D.JPG", 200, 200, List.of(called(50, 50, 20, 20, false)),
                List.of(box(50, 50, 20, 20, RING)), 1.5);
        FieldScores scores = FieldScores.score(List.of(noCalls));

        assertThat(scores.infectedRecall().value()).isEqualTo(0.0);
        assertThat(scores.infectedPrecision().isDefined()).isFalse();
        assertThat(scores.infectedF1().isDefined()).isFalse();
        JsonNode json = scores.toJson();
        assertThat(json.get("infected_precision").get("value").isNull()).isTrue();
        assertThat(json.get("infected_precision").get("low").isNull()).isTrue();
        assertThat(json.get("infected_f1").get("high").isNull()).isTrue();
        assertThat(json.get("infected_recall").get("value").asDouble()).isEqualTo(0.0);
        assertThat(scores.summaryText()).contains("infected precision  undefined");
    }

    @Test
    void jsonHasExactlyTheKeys() {
        ObjectNode json = FieldScores.score(List.of(fieldA(), fieldB(), fieldC())).toJson();

        List<String> keys = new ArrayList<>();
        json.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("fields", "cells", "cell_recall", "infected_recall", "infected_precision",
                "infected_f1", "infected_count_mae", "parasitemia_mae", "seconds_per_field");
        assertThat(json.get("fields").isInt()).isTrue();
        assertThat(json.get("fields").asInt()).isEqualTo(3);
        assertThat(json.get("cells").isInt()).isTrue();
        assertThat(json.get("cells").asInt()).isEqualTo(8);
        for (String figure : keys.subList(2, keys.size())) {
            List<String> parts = new ArrayList<>();
            json.get(figure).fieldNames().forEachRemaining(parts::add);
            assertThat(parts).as(figure).containsExactly("value", "low", "high");
        }
        assertThat(json.get("parasitemia_mae").get("value").asDouble()).isCloseTo(25, within(1e-12));
        assertThat(json.get("cell_recall").get("low").asDouble())
                .isEqualTo(ConfidenceIntervals.wilson(6, 13).lo());
    }

    @Test
    void perFieldTableHasARowPerFieldAndSummaryAFigurePerLine() {
        FieldScores scores = FieldScores.score(List.of(fieldA(), fieldB(), fieldC()));

        List<String> rows = scores.perFieldTable().lines().toList();
        assertThat(rows).hasSize(4);
        assertThat(rows.get(0)).startsWith("field").contains("true infected calls").endsWith("seconds");
        // name, boxes, detections, matched, recall, infected boxes, infected calls, true calls, box %, detected %, s
        assertThat(rows.get(1).split("\\s+")).containsExactly(
                "A.JPG", "5", "4", "3", "0.600", "2", "3", "1", "40.00", "75.00", "1.00");
        assertThat(rows.get(3).split("\\s+")).containsExactly(
                "C.JPG", "3", "0", "0", "0.000", "2", "0", "0", "66.67", "-", "2.00");

        List<String> summary = scores.summaryText().lines().toList();
        assertThat(summary).hasSize(9);
        assertThat(summary.get(2)).startsWith("cell recall").contains("0.4615 [");
        assertThat(summary.get(7)).startsWith("parasitemia MAE").contains("25.00 [15.00, 35.00]")
                .contains("1 field without detections or boxes left out");
    }

    @Test
    void refusesNoFieldsAndAFieldTwice() {
        assertThatThrownBy(() -> FieldScores.score(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no fields");
        assertThatThrownBy(() -> FieldScores.score(List.of(fieldA(), fieldB(), fieldA())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("A.JPG is scored twice");
    }
}
