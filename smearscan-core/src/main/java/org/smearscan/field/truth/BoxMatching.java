package org.smearscan.field.truth;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.smearscan.segment.Box;

/**
 * Pairs detected boxes with reference boxes, each box in at most one pair, so that a cell found twice counts
 * once and one detection cannot claim two cells.
 */
public final class BoxMatching {
    /** The IoU from which a detection and a box are the same cell, the usual rule for cell detection. */
    public static final double SAME_CELL_IOU = 0.5;

    /** Best pair first; ties by detection index, then box index, so the same input always gives the same pairs. */
    private static final Comparator<Match> BEST_FIRST = Comparator.comparingDouble(Match::iou).reversed()
            .thenComparingInt(Match::detection)
            .thenComparingInt(Match::truth);

    private BoxMatching() {}

    /**
     * A detection and a reference box taken for the same cell.
     *
     * @param detection index in the detections
     * @param truth     index in the reference boxes
     * @param iou       their intersection over union
     */
    public record Match(int detection, int truth, double iou) {}

    /**
     * Greedy one-to-one matching: of all pairs with IoU at least {@code minIou}, the one with the highest IoU is
     * taken, then the highest among the pairs left whose boxes are both still free, and so on. Taking pairs by
     * IoU rather than detection by detection keeps a detection lying between two cells from taking the one
     * another detection covers better. Not the optimal assignment, but on cells, which overlap little, the two
     * rarely differ, and greedy is what detection benchmarks use.
     *
     * <p>Time O(n·m) for the IoUs plus a sort of the pairs that reach {@code minIou} (few: a box overlaps
     * only its neighbours).
     *
     * @param minIou in (0, 1]: boxes that do not overlap are never paired
     * @return the pairs in the order taken, highest IoU first
     */
    public static List<Match> greedy(List<Box> detections, List<Box> truth, double minIou) {
        if (!(minIou > 0 && minIou <= 1)) {
            throw new IllegalArgumentException("minimum IoU must be in (0, 1], got " + minIou);
        }
        List<Match> candidates = new ArrayList<>();
        for (int d = 0; d < detections.size(); d++) {
            Box detection = Objects.requireNonNull(detections.get(d), () -> "detections contain null");
            for (int t = 0; t < truth.size(); t++) {
                double iou = detection.iou(Objects.requireNonNull(truth.get(t), () -> "truth boxes contain null"));
                if (iou >= minIou) {
                    candidates.add(new Match(d, t, iou));
                }
            }
        }
        candidates.sort(BEST_FIRST);
        boolean[] detectionTaken = new boolean[detections.size()];
        boolean[] truthTaken = new boolean[truth.size()];
        List<Match> matches = new ArrayList<>();
        for (Match candidate : candidates) {
            if (!detectionTaken[candidate.detection()] && !truthTaken[candidate.truth()]) {
                detectionTaken[candidate.detection()] = true;
                truthTaken[candidate.truth()] = true;
                matches.add(candidate);
            }
        }
        return matches;
    }
}
