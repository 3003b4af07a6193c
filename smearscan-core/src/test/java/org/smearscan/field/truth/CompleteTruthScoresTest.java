package org.smearscan.field.truth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.smearscan.segment.Box;
import org.smearscan.stats.ConfidenceIntervals;

class CompleteTruthScoresTest {

    /** {@code count} cells of 20 x 20 on a grid 30 px apart from (10, 10), the first {@code infected} infected. */
    private static List<AnnotatedCell> grid(int count, int infected) {
        List<AnnotatedCell> cells = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            cells.add(new AnnotatedCell(new Box(10 + 30 * (i % 5), 10 + 30 * (i / 5), 20, 20),
                    i < infected ? CellType.INFECTED : CellType.UNINFECTED));
        }
        return cells;
    }

    private static DetectedCell on(AnnotatedCell cell, boolean infected) {
        return new DetectedCell(cell.box(), infected ? 0.8 : 0.2, infected);
    }

    /*
     * P: 20 cells, 1 infected (5%, in the 2-10% band). 18 found (the infected one called infected), 2 detections
     * on no cell (one called infected), 1 at the border (out): 20 detections, 18 matched, 2 infected calls = 10%.
     * Error 5 points.
     */
    static ScoredField fieldP() {
        List<AnnotatedCell> truth = grid(20, 1);
        List<DetectedCell> detections = new ArrayList<>();
        for (int i = 0; i < 18; i++) {
            detections.add(on(truth.get(i), i == 0));
        }
        detections.add(new DetectedCell(new Box(165, 130, 20, 20), 0.9, true));
        detections.add(new DetectedCell(new Box(165, 160, 20, 20), 0.3, false));
        detections.add(new DetectedCell(new Box(0, 0, 10, 10), 0.9, true));
        return new ScoredField("P", 200, 200, detections, truth, 0.5);
    }

    /* Q: 10 cells, 5 infected (50%, outside the band); all found, 4 called infected: 40%, error 10 points. */
    static ScoredField fieldQ() {
        List<AnnotatedCell> truth = grid(10, 5);
        List<DetectedCell> detections = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            detections.add(on(truth.get(i), i < 4));
        }
        return new ScoredField("Q", 200, 200, detections, truth, 0.5);
    }

    /* R: 20 cells, 1 infected (5%), no detections: left out of the parasitemia error, in the band or not. */
    static ScoredField fieldR() {
        return new ScoredField("R", 200, 200, List.of(), grid(20, 1), 0.5);
    }

    @Test
    void precisionRecallAndParasitemiaErrorMatchTheHandCount() {
        CompleteTruthScores scores = CompleteTruthScores.score(List.of(fieldP(), fieldQ(), fieldR()));

        assertThat(scores.fields()).isEqualTo(3);
        assertThat(scores.detections()).isEqualTo(30);
        assertThat(scores.truthCells()).isEqualTo(50);
        assertThat(scores.detectionPrecision()).isEqualTo(ConfidenceIntervals.wilson(28, 30));
        assertThat(scores.detectionRecall()).isEqualTo(ConfidenceIntervals.wilson(28, 50));
        assertThat(scores.parasitemiaError().fields()).isEqualTo(2);
        assertThat(scores.parasitemiaError().mean()).isCloseTo(7.5, within(1e-12));
        assertThat(scores.parasitemiaError().max()).isCloseTo(10, within(1e-12));
        assertThat(scores.parasitemiaError2To10().fields()).isEqualTo(1);
        assertThat(scores.parasitemiaError2To10().mean()).isCloseTo(5, within(1e-12));
        assertThat(scores.parasitemiaError2To10().max()).isCloseTo(5, within(1e-12));
        assertThat(scores.fieldsLeftOut()).isEqualTo(1);
    }

    @Test
    void theBandIncludesExactlyTwoAndTenPercent() {
        assertThat(CompleteTruthScores.trueParasitemia2To10(tally(50, 1))).isTrue();   // 2%
        assertThat(CompleteTruthScores.trueParasitemia2To10(tally(10, 1))).isTrue();   // 10%
        assertThat(CompleteTruthScores.trueParasitemia2To10(tally(51, 1))).isFalse();  // 1.96%
        assertThat(CompleteTruthScores.trueParasitemia2To10(tally(9, 1))).isFalse();   // 11.1%
        assertThat(CompleteTruthScores.trueParasitemia2To10(tally(0, 0))).isFalse();
    }

    private static FieldTally tally(int cells, int infected) {
        return new FieldTally("t", cells, infected, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void jsonAndTextCarryEveryFigure() {
        CompleteTruthScores scores = CompleteTruthScores.score(List.of(fieldP(), fieldQ(), fieldR()));
        ObjectNode json = scores.toJson();

        List<String> keys = new ArrayList<>();
        json.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("fields", "detections", "truth_cells", "detection_precision",
                "detection_recall", "parasitemia_error", "parasitemia_error_2_to_10", "fields_left_out");
        assertThat(json.get("detection_precision").get("value").asDouble()).isCloseTo(28.0 / 30, within(1e-12));
        assertThat(json.get("parasitemia_error").get("max").asDouble()).isCloseTo(10, within(1e-12));
        assertThat(json.get("parasitemia_error_2_to_10").get("fields").asInt()).isEqualTo(1);
        assertThat(json.get("fields_left_out").asInt()).isEqualTo(1);

        String text = scores.summaryText();
        assertThat(text).contains("detection precision  0.9333 [").contains("detection recall     0.5600 [")
                .contains("mean 7.50, max 10.00 percentage points over 2 fields")
                .contains("mean 5.00, max 5.00 percentage points over 1 field\n");
    }

    @Test
    void withoutFieldsInTheBandItsErrorIsUndefinedAndNullInJson() {
        CompleteTruthScores scores = CompleteTruthScores.score(List.of(fieldQ()));
        assertThat(scores.parasitemiaError2To10().fields()).isZero();
        assertThat(scores.parasitemiaError2To10().mean()).isNaN();
        assertThat(scores.toJson().get("parasitemia_error_2_to_10").get("mean").isNull()).isTrue();
        assertThat(scores.summaryText()).contains("undefined (no field)");
    }
}
