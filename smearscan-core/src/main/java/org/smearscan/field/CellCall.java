package org.smearscan.field;

import java.util.Objects;
import org.smearscan.inference.Prediction;
import org.smearscan.segment.Box;

/**
 * One red cell of a screened field and what the classifier made of it.
 *
 * @param box                    the cell's box in the field
 * @param centerX                centre, field pixels
 * @param centerY                centre, field pixels
 * @param radius                 radius of the cell's outline, pixels
 * @param parasitizedProbability the classifier's probability that the cell is parasitized
 * @param infected               called infected: judged, and the probability at or above the model's threshold
 * @param status                 whether the classifier could judge the crop (a white cell or debris is not a cell)
 * @param oodScore               the out-of-distribution score (NaN for a model without one)
 * @param cut                    cut by the field's edge: shown, not counted (the border rule)
 */
public record CellCall(Box box, double centerX, double centerY, double radius, double parasitizedProbability,
        boolean infected, Prediction.Status status, double oodScore, boolean cut) {

    public CellCall {
        Objects.requireNonNull(box, "box");
        Objects.requireNonNull(status, "status");
    }

    /**
     * Whether the cell takes part in the field's count. The border rule: a cell whose box comes within the
     * segmentation's border margin of the field's edge is cut and left out, on every field alike, so that a
     * cell shared by two neighbouring fields is never counted twice and a half cell is never classified. A
     * crop the classifier cannot judge is no red cell it can count either.
     */
    public boolean counted() {
        return !cut && status == Prediction.Status.OK;
    }
}
