package org.smearscan.serve;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import org.smearscan.field.CellCall;
import org.smearscan.field.FieldResult;
import org.smearscan.inference.Prediction;
import org.smearscan.segment.Box;
import org.smearscan.stats.Estimate;

/**
 * The answer of {@code POST /api/v1/fields} for one field: its size, the count of its red cells and every
 * cell found, each with its outline and call. Parasitemia is in percent ({@code parasitemiaPercent}, with its
 * Wilson 95% interval; null when no cell is counted); a cell's {@code probability} is its probability of being
 * parasitized as a fraction (null for a cut cell, which is not classified).
 */
final class FieldJson {
    /** A cell's calls. */
    static final String UNINFECTED = "uninfected";
    static final String INFECTED = "infected";
    static final String NOT_A_CELL = "not_a_cell";
    static final String CUT = "cut";

    private FieldJson() {}

    @JsonPropertyOrder({"name", "width", "height", "cells", "infected", "notACell", "parasitemiaPercent", "seconds",
            "cellList"})
    record Field(String name, int width, int height, int cells, int infected, int notACell,
            Percentages parasitemiaPercent, double seconds, List<Cell> cellList) {}

    /** A share in percent with its 95% interval. */
    @JsonPropertyOrder({"value", "low", "high"})
    record Percentages(double value, double low, double high) {}

    @JsonPropertyOrder({"x", "y", "w", "h"})
    record BoxJson(int x, int y, int w, int h) {}

    @JsonPropertyOrder({"x", "y"})
    record Point(double x, double y) {}

    /**
     * One cell found in the field. {@code oodScore} is absent for a model without the score and for a cut cell;
     * {@code probability} is null for a cut cell.
     */
    @JsonPropertyOrder({"box", "center", "radius", "probability", "call", "oodScore", "modelId"})
    record Cell(BoxJson box, Point center, double radius, Double probability, String call,
            @JsonInclude(JsonInclude.Include.NON_NULL) Double oodScore, String modelId) {}

    /** The answer for one screened field of the model {@code modelId}. */
    static Field of(FieldResult result, String modelId) {
        List<Cell> cells = result.cells().stream().map(c -> cell(c, modelId)).toList();
        return new Field(result.name(), result.width(), result.height(), result.countedCells(),
                result.infectedCells(), result.notACell(), percent(result.parasitemia()), round(result.seconds(), 4),
                cells);
    }

    static Cell cell(CellCall c, String modelId) {
        Box b = c.box();
        Double probability = c.cut() || Double.isNaN(c.parasitizedProbability()) ? null : c.parasitizedProbability();
        Double ood = c.cut() || Double.isNaN(c.oodScore()) ? null : c.oodScore();
        return new Cell(new BoxJson(b.x(), b.y(), b.w(), b.h()), new Point(round(c.centerX(), 2), round(c.centerY(), 2)),
                round(c.radius(), 2), probability, call(c), ood, modelId);
    }

    /** {@value #CUT} before anything else: a cut cell is shown, never classified or counted. */
    static String call(CellCall c) {
        if (c.cut()) {
            return CUT;
        }
        if (c.status() == Prediction.Status.NOT_A_CELL) {
            return NOT_A_CELL;
        }
        return c.infected() ? INFECTED : UNINFECTED;
    }

    /** The estimate in percent, or null when it is undefined (no counted cell). */
    static Percentages percent(Estimate e) {
        return e.isDefined() ? new Percentages(100 * e.value(), 100 * e.lo(), 100 * e.hi()) : null;
    }

    private static double round(double value, int decimals) {
        double f = Math.pow(10, decimals);
        return Math.round(value * f) / f;
    }
}
