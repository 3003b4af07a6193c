package org.smearscan.field.truth;

import java.util.Objects;
import org.smearscan.segment.Box;

/** A red cell a person (or the field composer) marked in a field: where it is and what it is. */
public record AnnotatedCell(Box box, CellType type) {
    public AnnotatedCell {
        Objects.requireNonNull(box, "box");
        Objects.requireNonNull(type, "type");
    }
}
