package org.smearscan.field;

import java.util.List;
import java.util.Objects;
import org.smearscan.stats.Estimate;

/**
 * The fields of one slide, summed: a microscopist's parasitemia is counted over many fields, and its interval
 * narrows as cells add up.
 *
 * @param slide  the slide's name (its folder, or the field's name when each field is its own slide)
 * @param fields its screened fields
 */
public record SlideResult(String slide, List<FieldResult> fields) {

    public SlideResult {
        Objects.requireNonNull(slide, "slide");
        fields = List.copyOf(fields);
    }

    public int countedCells() {
        return fields.stream().mapToInt(FieldResult::countedCells).sum();
    }

    public int infectedCells() {
        return fields.stream().mapToInt(FieldResult::infectedCells).sum();
    }

    public int notACell() {
        return fields.stream().mapToInt(FieldResult::notACell).sum();
    }

    public Estimate parasitemia() {
        return FieldResult.parasitemia(infectedCells(), countedCells());
    }
}
