package org.smearscan.field.report;

import java.util.Locale;
import org.smearscan.field.CellCall;

/**
 * The one word every output gives a cell, so that the overlay's colours, cells.csv and the report agree on
 * what a cell was: counted and infected, counted and uninfected, not judged (not a cell), or cut by the
 * field's edge and left out of the count.
 */
public enum CallKind {
    INFECTED, UNINFECTED, NOT_A_CELL, CUT;

    public static CallKind of(CellCall cell) {
        if (cell.cut()) {
            return CUT;
        }
        if (!cell.counted()) {
            return NOT_A_CELL;
        }
        return cell.infected() ? INFECTED : UNINFECTED;
    }

    /** The name in csv and json: {@code infected}, {@code uninfected}, {@code not_a_cell}, {@code cut}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
