package org.smearscan.field;

import java.util.List;
import java.util.Objects;
import org.smearscan.stats.ConfidenceIntervals;
import org.smearscan.stats.Estimate;

/**
 * A screened field: every red cell found, and the count.
 *
 * @param name    the field's name (its file name)
 * @param width   field width, pixels
 * @param height  field height, pixels
 * @param cells   every cell found, counted or not
 * @param seconds time to segment, crop and classify the field
 */
public record FieldResult(String name, int width, int height, List<CellCall> cells, double seconds) {

    public FieldResult {
        Objects.requireNonNull(name, "name");
        cells = List.copyOf(cells);
    }

    /** Red cells counted: not cut by the border, judged by the classifier. */
    public int countedCells() {
        return (int) cells.stream().filter(CellCall::counted).count();
    }

    /** Counted cells called infected. */
    public int infectedCells() {
        return (int) cells.stream().filter(c -> c.counted() && c.infected()).count();
    }

    /** Cells found that the classifier would not judge (white cells, debris, stain). */
    public int notACell() {
        return (int) cells.stream().filter(c -> !c.cut() && !c.counted()).count();
    }

    /** Infected share of the counted cells, with its Wilson 95% interval; undefined without cells. */
    public Estimate parasitemia() {
        return parasitemia(infectedCells(), countedCells());
    }

    static Estimate parasitemia(long infected, long cells) {
        return cells == 0 ? Estimate.UNDEFINED : ConfidenceIntervals.wilson(infected, cells);
    }
}
