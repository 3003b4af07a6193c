package org.smearscan.field.truth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.smearscan.segment.Box;

class BoxMatchingTest {

    /*
     * Boxes 100 px high, so IoU = overlap in x / (200 - overlap):
     * D0-T0 88/112 = 0.786, D0-T1 92/108 = 0.852, D1-T1 98/102 = 0.961, D1-T0 78/122 = 0.639.
     * Taking detection by detection, D0 would take its best box T1 and leave D1 the worse T0;
     * by IoU, D1-T1 goes first and D0 gets T0.
     */
    @Test
    void takesTheBestPairsFirstNotTheFirstDetectionsBest() {
        List<Box> truth = List.of(new Box(0, 0, 100, 100), new Box(20, 0, 100, 100));
        List<Box> detections = List.of(new Box(12, 0, 100, 100), new Box(22, 0, 100, 100));

        List<BoxMatching.Match> matches = BoxMatching.greedy(detections, truth, 0.5);

        assertThat(matches).extracting(BoxMatching.Match::detection, BoxMatching.Match::truth)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, 1), org.assertj.core.groups.Tuple.tuple(0, 0));
        assertThat(matches.get(0).iou()).isCloseTo(98.0 / 102, within(1e-12));
        assertThat(matches.get(1).iou()).isCloseTo(88.0 / 112, within(1e-12));
    }

    @Test
    void eachBoxAndDetectionIsInOnePairAtMost() {
        List<Box> truth = List.of(new Box(0, 0, 20, 20));
        // Both cover the box (IoU 0.905 and 1.0); only the better one gets it.
        List<Box> detections = List.of(new Box(1, 0, 20, 20), new Box(0, 0, 20, 20));

        List<BoxMatching.Match> matches = BoxMatching.greedy(detections, truth, 0.5);

        assertThat(matches).containsExactly(new BoxMatching.Match(1, 0, 1.0));
        // and one detection on two identical boxes takes one of them
        assertThat(BoxMatching.greedy(List.of(new Box(0, 0, 20, 20)), List.of(new Box(0, 0, 20, 20),
                new Box(0, 0, 20, 20)), 0.5)).hasSize(1);
    }

    @Test
    void tiesGoToTheLowerIndex() {
        List<Box> truth = List.of(new Box(0, 0, 20, 20));
        List<Box> detections = List.of(new Box(5, 5, 20, 20), new Box(0, 0, 20, 20), new Box(0, 0, 20, 20));
        assertThat(BoxMatching.greedy(detections, truth, 0.5)).containsExactly(new BoxMatching.Match(1, 0, 1.0));
    }

    @Test
    void pairsBelowTheMinimumIouAreNotMatchedAndTheMinimumItselfIs() {
        Box truth = new Box(20, 150, 20, 20);
        Box third = new Box(30, 150, 20, 20); // overlap 10 x 20: 200 / 600 = 0.333
        assertThat(BoxMatching.greedy(List.of(third), List.of(truth), 0.5)).isEmpty();
        assertThat(BoxMatching.greedy(List.of(third), List.of(truth), 0.3)).hasSize(1);

        Box half = new Box(0, 0, 10, 10); // inside a 20 x 10 box: 100 / 200 = 0.5 exactly
        assertThat(BoxMatching.greedy(List.of(half), List.of(new Box(0, 0, 20, 10)), 0.5))
                .containsExactly(new BoxMatching.Match(0, 0, 0.5));
    }

    @Test
    void emptyInputsGiveNoPairsAndAMinimumOutsideTheUnitIntervalIsRefused() {
        assertThat(BoxMatching.greedy(List.of(), List.of(new Box(0, 0, 5, 5)), 0.5)).isEmpty();
        assertThat(BoxMatching.greedy(List.of(new Box(0, 0, 5, 5)), List.of(), 0.5)).isEmpty();
        assertThatThrownBy(() -> BoxMatching.greedy(List.of(), List.of(), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(0, 1]");
        assertThatThrownBy(() -> BoxMatching.greedy(List.of(), List.of(), Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
