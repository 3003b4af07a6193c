package org.smearscan.field.truth;

import java.util.Objects;
import org.smearscan.segment.Box;

/**
 * A cell the detector found and the classifier called.
 *
 * @param box         where the detector found it
 * @param probability the classifier's probability that it is infected, kept for reports and threshold studies
 * @param infected    the call at the operating threshold: what every figure counts, so that the scores are
 *                    those of the screen as it runs rather than of a threshold picked afterwards
 */
public record DetectedCell(Box box, double probability, boolean infected) {
    public DetectedCell {
        Objects.requireNonNull(box, "box");
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("probability must be in [0, 1], got " + probability);
        }
    }
}
