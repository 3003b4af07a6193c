package org.smearscan.field.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.smearscan.field.CellCall;
import org.smearscan.field.FieldResult;
import org.smearscan.field.ScreenRun;
import org.smearscan.field.ScreenedFile;
import org.smearscan.field.SlideGrouping;
import org.smearscan.inference.Prediction;
import org.smearscan.segment.Box;

/** Screen runs made by hand, with known counts, for the writers' tests (no model, no segmentation). */
final class ScreenRuns {
    private ScreenRuns() {}

    /** A cell at (x, y) of radius 38; {@code p} NaN for a cut cell. */
    static CellCall cell(int x, int y, double p, boolean infected, Prediction.Status status, boolean cut) {
        return new CellCall(new Box(x - 41, y - 41, 82, 82), x, y, 38, p, infected, status, Double.NaN, cut);
    }

    /** A 640 × 480 field: {@code uninfected} plain cells, {@code infected} called ones, one not a cell, one cut. */
    static FieldResult field(String name, int uninfected, int infected) {
        List<CellCall> cells = new ArrayList<>();
        int k = 0;
        for (int i = 0; i < uninfected + infected; i++, k++) {
            boolean inf = i >= uninfected;
            cells.add(cell(60 + 90 * (k % 6), 60 + 90 * (k / 6), inf ? 0.6 + 0.05 * (i - uninfected) : 0.1, inf,
                    Prediction.Status.OK, false));
        }
        cells.add(cell(60 + 90 * (k % 6), 60 + 90 * (k / 6), 0.3, false, Prediction.Status.NOT_A_CELL, false));
        cells.add(cell(20, 460, Double.NaN, false, Prediction.Status.OK, true));
        return new FieldResult(name, 640, 480, cells, 0.25);
    }

    /**
     * Two slides by folder: s1 with fields a (8 cells, 2 infected) and b (10, 0) and an unreadable c; s2 with an
     * image that is no field and a field d without counted cells.
     */
    static ScreenRun twoSlides() {
        return new ScreenRun(List.of(
                ScreenedFile.screened(Path.of("s1/a.png"), "s1", field("s1/a.png", 6, 2)),
                ScreenedFile.screened(Path.of("s1/b.png"), "s1", field("s1/b.png", 10, 0)),
                ScreenedFile.failed(Path.of("s1/c.png"), "s1", "s1/c.png is not an image"),
                ScreenedFile.failed(Path.of("s2/tiny, \"small\".png"), "s2", "s2/tiny.png: 64 x 64 pixels is not a smear field"),
                ScreenedFile.screened(Path.of("s2/d.png"), "s2", new FieldResult("s2/d.png", 640, 480, List.of(), 0.1))),
                SlideGrouping.FOLDER, "model-123");
    }
}
