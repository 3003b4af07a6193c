package org.smearscan.segment;

/**
 * How {@link CellSegmenter} finds red cells in a field; saved in a field model so that {@code screen} segments
 * new fields as the training fields were segmented. Lengths are in pixels of the full-size field.
 *
 * @param scale          the field is searched at this fraction of its size (circles of 25-50 px radius need no
 *                       more, and a quarter of the pixels makes the search about four times cheaper)
 * @param minRadius      smallest red-cell radius searched for
 * @param maxRadius      largest red-cell radius searched for
 * @param minDistance    least distance between two cell centres; below a cell's radius so that overlapping
 *                       cells are still found one by one
 * @param edgeThreshold  the upper Canny threshold of the circle search (its first parameter)
 * @param votes          accumulator votes a circle needs (its second parameter): lower finds more cells,
 *                       including false ones, which the foreground test removes
 * @param minForeground  share of a circle's inner disc that must be darker than the background (Otsu)
 * @param boxScale       a circle's radius is multiplied by this for its box and mask: the edge the search
 *                       locks onto lies slightly inside the cell's outline
 * @param borderMargin   a cell whose box comes this close to the field's edge is cut by it and not counted
 * @param maxShared      a circle whose disc lies more than this share inside circles of more votes is dropped: in
 *                       clumps the search also finds circles straddling two cells, or a second circle in one cell;
 *                       1 keeps every circle (0, from a model written before this existed, means 1)
 */
public record SegmentationParameters(double scale, int minRadius, int maxRadius, int minDistance, double edgeThreshold,
        double votes, double minForeground, double boxScale, int borderMargin, double maxShared) {

    /**
     * Chosen on the first 20 of the 75 IML-Malaria fields (1280 × 960, red cells ~79 px wide) and, for
     * {@code maxShared}, on 20 fields composed from the NIH crops of training donors: 0.7 keeps 94.9% of the boxed
     * cells of those fields found (96.2% with every circle kept) and raises the share of detections that are cells
     * on the composed fields from 0.92 to 0.95; the held-out fields took no part. Fields of other optics need
     * {@link #forCellWidth}.
     */
    public static final SegmentationParameters DEFAULT = new SegmentationParameters(0.5, 26, 52, 30, 60, 10, 0.6, 1.08, 3, 0.7);

    /** The median red-cell width these defaults were chosen for. */
    public static final double DEFAULT_CELL_WIDTH = 79;

    public SegmentationParameters {
        if (!(scale > 0.1 && scale <= 1)) {
            throw new IllegalArgumentException("scale must lie in (0.1, 1], got " + scale);
        }
        if (minRadius < 3 || maxRadius <= minRadius) {
            throw new IllegalArgumentException("cell radii must satisfy 3 <= min < max, got " + minRadius + ".." + maxRadius);
        }
        if (minDistance < 1 || !(edgeThreshold > 0) || !(votes > 0)) {
            throw new IllegalArgumentException("minimum distance, edge threshold and votes must be positive");
        }
        if (!(minForeground >= 0 && minForeground <= 1) || !(boxScale >= 0.5 && boxScale <= 2) || borderMargin < 0) {
            throw new IllegalArgumentException("foreground share in [0, 1], box scale in [0.5, 2] and a border margin >= 0 are needed");
        }
        if (!(maxShared >= 0 && maxShared <= 1)) {
            throw new IllegalArgumentException("the largest shared share of a disc must lie in [0, 1], got " + maxShared);
        }
        maxShared = maxShared == 0 ? 1 : maxShared;
    }

    /** These parameters with another {@link #maxShared}. */
    public SegmentationParameters withMaxShared(double share) {
        return new SegmentationParameters(scale, minRadius, maxRadius, minDistance, edgeThreshold, votes, minForeground,
                boxScale, borderMargin, share);
    }

    /**
     * The defaults scaled to fields whose red cells are {@code cellWidth} pixels wide (other magnification or
     * camera): radii and distances scale, the search scale keeps a ~20 px radius at the search resolution.
     */
    public static SegmentationParameters forCellWidth(double cellWidth) {
        double f = cellWidth / DEFAULT_CELL_WIDTH;
        double searchScale = Math.min(1, DEFAULT.scale / f);
        return new SegmentationParameters(searchScale, (int) Math.round(DEFAULT.minRadius * f),
                (int) Math.round(DEFAULT.maxRadius * f), (int) Math.round(DEFAULT.minDistance * f), DEFAULT.edgeThreshold,
                DEFAULT.votes, DEFAULT.minForeground, DEFAULT.boxScale, DEFAULT.borderMargin, DEFAULT.maxShared);
    }
}
