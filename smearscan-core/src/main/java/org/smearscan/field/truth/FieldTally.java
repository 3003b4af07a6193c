package org.smearscan.field.truth;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.smearscan.segment.Box;

/**
 * What one field counts toward the scores, after matching and the border rule; kept per field so that the
 * screen's report can show each field and the pooled figures can be recomputed on resamples of fields.
 *
 * <p>The rules, applied by {@link #of}:
 * <ol>
 *   <li><b>Match first, on everything.</b> Detections are matched one-to-one to all boxes, difficult ones and
 *       those at the border included ({@link BoxMatching#greedy}, IoU at least 0.5).</li>
 *   <li><b>Then leave out the border.</b> A box or detection within {@value #BORDER_MARGIN} px of the image's
 *       edge ({@link Box#nearBorder}) is left out of every figure, and so is its partner: a matched pair leaves
 *       together when either side is at the border. A cell cut by the edge is drawn and boxed unreliably (the
 *       annotators often skipped it), and matching before the cut keeps a detection just inside the margin
 *       whose box lies just outside from being counted as a cell no box covers. The rule can only remove a
 *       found cell, never hide a missed one or a false call.</li>
 *   <li><b>Difficult boxes leave with their partner.</b> A detection on a box the annotators could not decide
 *       on is neither right nor wrong: the pair is left out of every count, like a border pair.</li>
 * </ol>
 *
 * @param name                 the field
 * @param boxes                counted boxes: not difficult, not at the border, not paired with a detection there
 * @param infectedBoxes        counted boxes of an infected class
 * @param detections           detections counted: not at the border, not paired with a left-out box
 * @param infectedCalls        counted detections called infected, matched or not
 * @param matched              pairs of a counted box and a counted detection
 * @param infectedCallsOnBoxes matched detections called infected (the denominator of infected precision)
 * @param trueInfectedCalls    matched detections called infected whose box is infected
 * @param seconds              wall time on the field
 */
public record FieldTally(String name, int boxes, int infectedBoxes, int detections, int infectedCalls, int matched,
        int infectedCallsOnBoxes, int trueInfectedCalls, double seconds) {

    /** Distance to the image's edge, in pixels, within which boxes and detections are left out. */
    public static final int BORDER_MARGIN = 3;

    public FieldTally {
        if (infectedBoxes < 0 || infectedBoxes > boxes || infectedCalls < 0 || infectedCalls > detections
                || matched < 0 || matched > Math.min(boxes, detections)
                || trueInfectedCalls < 0 || trueInfectedCalls > infectedCallsOnBoxes
                || infectedCallsOnBoxes > Math.min(matched, infectedCalls) || trueInfectedCalls > infectedBoxes) {
            throw new IllegalArgumentException("inconsistent counts for field " + name + ": boxes " + boxes
                    + ", infected boxes " + infectedBoxes + ", detections " + detections + ", infected calls "
                    + infectedCalls + ", matched " + matched + ", infected calls on boxes " + infectedCallsOnBoxes
                    + ", true infected calls " + trueInfectedCalls);
        }
    }

    /** Matches the field's detections to its boxes and counts them under the rules above. */
    public static FieldTally of(ScoredField field) {
        List<DetectedCell> detections = field.detections();
        List<AnnotatedCell> truth = field.truth();
        List<BoxMatching.Match> matches = BoxMatching.greedy(detections.stream().map(DetectedCell::box).toList(),
                truth.stream().map(AnnotatedCell::box).toList(), BoxMatching.SAME_CELL_IOU);

        boolean[] detectionLeftOut = new boolean[detections.size()];
        for (int d = 0; d < detections.size(); d++) {
            detectionLeftOut[d] = atBorder(detections.get(d).box(), field);
        }
        boolean[] boxLeftOut = new boolean[truth.size()];
        for (int t = 0; t < truth.size(); t++) {
            boxLeftOut[t] = !truth.get(t).type().isCounted() || atBorder(truth.get(t).box(), field);
        }

        int matched = 0;
        int infectedCallsOnBoxes = 0;
        int trueInfectedCalls = 0;
        for (BoxMatching.Match match : matches) {
            if (detectionLeftOut[match.detection()] || boxLeftOut[match.truth()]) {
                // Each index is in one pair at most, so marking the partner cannot touch another pair.
                detectionLeftOut[match.detection()] = true;
                boxLeftOut[match.truth()] = true;
                continue;
            }
            matched++;
            if (detections.get(match.detection()).infected()) {
                infectedCallsOnBoxes++;
                if (truth.get(match.truth()).type().isInfected()) {
                    trueInfectedCalls++;
                }
            }
        }

        int boxes = 0;
        int infectedBoxes = 0;
        for (int t = 0; t < truth.size(); t++) {
            if (!boxLeftOut[t]) {
                boxes++;
                infectedBoxes += truth.get(t).type().isInfected() ? 1 : 0;
            }
        }
        int counted = 0;
        int infectedCalls = 0;
        for (int d = 0; d < detections.size(); d++) {
            if (!detectionLeftOut[d]) {
                counted++;
                infectedCalls += detections.get(d).infected() ? 1 : 0;
            }
        }
        return new FieldTally(field.name(), boxes, infectedBoxes, counted, infectedCalls, matched,
                infectedCallsOnBoxes, trueInfectedCalls, field.seconds());
    }

    /**
     * Tallies each field, in order.
     *
     * @throws IllegalArgumentException when there are no fields or one name comes twice: scored twice, a field
     *                                  would weigh double in every figure
     */
    public static List<FieldTally> ofEach(List<ScoredField> fields) {
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("no fields to score");
        }
        Set<String> names = new HashSet<>();
        for (ScoredField field : fields) {
            if (!names.add(field.name())) {
                throw new IllegalArgumentException("field " + field.name() + " is scored twice");
            }
        }
        return fields.stream().map(FieldTally::of).toList();
    }

    private static boolean atBorder(Box box, ScoredField field) {
        return box.nearBorder(field.width(), field.height(), BORDER_MARGIN);
    }

    /** Share of counted boxes found; NaN without boxes. */
    public double cellRecall() {
        return boxes == 0 ? Double.NaN : (double) matched / boxes;
    }

    /** Infected boxes per counted box, in percent; NaN without boxes. */
    public double boxParasitemia() {
        return boxes == 0 ? Double.NaN : 100.0 * infectedBoxes / boxes;
    }

    /** Infected calls per counted detection, in percent; NaN without detections. */
    public double detectedParasitemia() {
        return detections == 0 ? Double.NaN : 100.0 * infectedCalls / detections;
    }

    /** |infected calls − infected boxes|: how far the field's count of infected cells is off. */
    public int infectedCountError() {
        return Math.abs(infectedCalls - infectedBoxes);
    }

    /** |detected − box parasitemia| in percentage points; NaN when either is undefined. */
    public double parasitemiaError() {
        return Math.abs(detectedParasitemia() - boxParasitemia());
    }
}
