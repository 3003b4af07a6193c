package org.smearscan.field;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.smearscan.field.truth.AnnotatedCell;
import org.smearscan.field.truth.BoxMatching;
import org.smearscan.segment.Box;
import org.smearscan.segment.CellCrops;
import org.smearscan.segment.Segmentation;
import org.smearscan.segment.SegmentedCell;
import org.smearscan.segment.StainNormalization;

/**
 * The annotated cells of a field, cropped the way screening crops cells, so that a classifier trained on them
 * sees at screening time what it saw in training. A box the segmentation found (IoU at least 0.5) is cut with
 * the found cell's mask; a box it missed is cut as the disc inscribed in the box, limited to the foreground.
 * Difficult boxes and cells cut by the field's edge are left out: screening never classifies those either.
 */
public final class AnnotatedCrops {
    private AnnotatedCrops() {}

    /**
     * A training crop.
     *
     * @param crop      the cell on black
     * @param cell      the annotation it comes from
     * @param segmented whether the segmentation found the cell (else it was cut from the box)
     */
    public record LabelledCrop(BufferedImage crop, AnnotatedCell cell, boolean segmented) {}

    /**
     * @param normaliseStain whether to normalise the crops' colours per field ({@link StainNormalization}), as
     *                       screening with the trained model will
     */
    public static List<LabelledCrop> of(BufferedImage field, Segmentation segmentation, List<AnnotatedCell> cells,
            boolean normaliseStain) {
        StainNormalization stain = normaliseStain ? StainNormalization.of(field, segmentation.foreground()) : null;
        List<Box> found = segmentation.cells().stream().map(SegmentedCell::box).toList();
        List<Box> boxes = cells.stream().map(AnnotatedCell::box).toList();
        SegmentedCell[] matchOf = new SegmentedCell[cells.size()];
        for (BoxMatching.Match m : BoxMatching.greedy(found, boxes, BoxMatching.SAME_CELL_IOU)) {
            matchOf[m.truth()] = segmentation.cells().get(m.detection());
        }
        List<LabelledCrop> crops = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            AnnotatedCell annotated = cells.get(i);
            if (!annotated.type().isCounted()) {
                continue;
            }
            SegmentedCell cell = matchOf[i] != null ? matchOf[i] : segmentation.cellInBox(annotated.box());
            if (!cell.cut() && cell.maskArea() > 0) {
                crops.add(new LabelledCrop(CellCrops.crop(field, cell, stain), annotated, matchOf[i] != null));
            }
        }
        return crops;
    }
}
