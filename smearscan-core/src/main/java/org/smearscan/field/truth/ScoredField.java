package org.smearscan.field.truth;

import java.util.List;
import java.util.Objects;

/**
 * One field as the screen saw it beside its reference: what was detected and called, what is annotated, and
 * how long it took.
 *
 * @param name       the field's name (its image file), unique among the fields scored together
 * @param width      image width in pixels, for the border rule
 * @param height     image height in pixels, for the border rule
 * @param detections the detected cells with their calls
 * @param truth      the annotated cells, best cut to the image ({@link FieldAnnotations#cellsWithin})
 * @param seconds    wall time the screen spent on the field
 */
public record ScoredField(String name, int width, int height, List<DetectedCell> detections,
        List<AnnotatedCell> truth, double seconds) {
    public ScoredField {
        Objects.requireNonNull(name, "name");
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("field " + name + " of " + width + " x " + height
                    + " px; both must be at least 1");
        }
        detections = List.copyOf(Objects.requireNonNull(detections, "detections"));
        truth = List.copyOf(Objects.requireNonNull(truth, "truth"));
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("field " + name + ": seconds must be finite and >= 0, got " + seconds);
        }
    }
}
