package org.smearscan.field.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.smearscan.field.CellCall;
import org.smearscan.field.FieldResult;
import org.smearscan.inference.Prediction;
import org.smearscan.testing.SyntheticFields;

class OverlayPainterTest {
    private final BufferedImage field = SyntheticFields.gridField(3, 640, 480).image();

    @Test
    void outlinesAreDrawnInTheColourOfEachCallAndNothingElseChanges() {
        CellCall uninfected = ScreenRuns.cell(100, 100, 0.1, false, Prediction.Status.OK, false);
        CellCall infected = ScreenRuns.cell(300, 200, 0.93, true, Prediction.Status.OK, false);
        CellCall notACell = ScreenRuns.cell(500, 300, 0.4, false, Prediction.Status.NOT_A_CELL, false);
        CellCall cut = ScreenRuns.cell(600, 440, Double.NaN, false, Prediction.Status.OK, true);
        FieldResult result = new FieldResult("f.png", 640, 480, List.of(uninfected, infected, notACell, cut), 0.1);

        BufferedImage overlay = OverlayPainter.paint(field, result);

        assertThat(overlay.getWidth()).isEqualTo(field.getWidth());
        assertThat(overlay.getHeight()).isEqualTo(field.getHeight());
        assertThat(onOutline(overlay, uninfected)).isEqualTo(OverlayPainter.UNINFECTED);
        assertThat(onOutline(overlay, infected)).isEqualTo(OverlayPainter.INFECTED);
        assertThat(onOutline(overlay, notACell)).isEqualTo(OverlayPainter.NOT_A_CELL);
        assertThat(onOutline(overlay, cut)).isEqualTo(OverlayPainter.CUT);
        // the inside of a cell and the field far from any cell are left as they were
        assertThat(overlay.getRGB(100, 100)).isEqualTo(field.getRGB(100, 100));
        assertThat(overlay.getRGB(200, 420)).isEqualTo(field.getRGB(200, 420));
        // the infected cell's probability is written at its upper right, in red
        assertThat(redPixels(overlay, 320, 140, 380, 180)).isGreaterThan(10);
        assertThat(field.getRGB(100, 62)).isNotEqualTo(overlay.getRGB(100, 62));
    }

    @Test
    void theFieldIsNotChanged() {
        int before = field.getRGB(100, 62);
        OverlayPainter.paint(field, new FieldResult("f.png", 640, 480,
                List.of(ScreenRuns.cell(100, 100, 0.1, false, Prediction.Status.OK, false)), 0.1));
        assertThat(field.getRGB(100, 62)).isEqualTo(before);
    }

    /** The colour on the outline's left edge, on the horizontal through the centre. */
    private static Color onOutline(BufferedImage image, CellCall cell) {
        return new Color(image.getRGB((int) Math.round(cell.centerX() - cell.radius()), (int) cell.centerY()));
    }

    private static int redPixels(BufferedImage image, int x0, int y0, int x1, int y1) {
        int n = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                Color c = new Color(image.getRGB(x, y));
                if (c.getRed() > 180 && c.getGreen() < 90 && c.getBlue() < 90) {
                    n++;
                }
            }
        }
        return n;
    }
}
