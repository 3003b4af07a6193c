package org.smearscan.field.compose;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Objects;
import org.smearscan.field.truth.AnnotatedCell;

/**
 * A field composed from single-cell crops, with every red cell in it known.
 *
 * @param image the field, 8-bit RGB
 * @param cells every red cell: {@code UNINFECTED} or {@code INFECTED}, its box the pasted cell's bounding box
 *     clamped to the image. White cells, platelets and debris are not cells and are not listed.
 * @param trueParasitemia infected cells / cells, a fraction (0 when the field holds no cell)
 * @param footprints each cell's mask in the field, in the order of {@code cells}: what the boxes were taken
 *     from, for measuring overlaps and for pixel-level scoring
 */
public record ComposedField(BufferedImage image, List<AnnotatedCell> cells, double trueParasitemia,
        List<CellFootprint> footprints) {

    public ComposedField {
        Objects.requireNonNull(image, "image");
        cells = List.copyOf(cells);
        footprints = List.copyOf(footprints);
        if (footprints.size() != cells.size()) {
            throw new IllegalArgumentException(cells.size() + " cells but " + footprints.size() + " footprints");
        }
        long infected = cells.stream().filter(c -> c.type().isInfected()).count();
        double expected = cells.isEmpty() ? 0 : (double) infected / cells.size();
        if (Math.abs(expected - trueParasitemia) > 1e-12) {
            throw new IllegalArgumentException("trueParasitemia " + trueParasitemia + " but " + infected + " of "
                    + cells.size() + " cells are infected");
        }
    }

    /** Number of infected cells. */
    public int infectedCount() {
        return (int) cells.stream().filter(c -> c.type().isInfected()).count();
    }

    /** Number of red cells, infected or not. */
    public int cellCount() {
        return cells.size();
    }
}
