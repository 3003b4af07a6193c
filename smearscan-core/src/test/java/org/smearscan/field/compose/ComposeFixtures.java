package org.smearscan.field.compose;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.smearscan.testing.SyntheticCells;

/** Generated crops for the composer's tests: discs on black, about the NIH crops' size. */
final class ComposeFixtures {
    private ComposeFixtures() {}

    /** {@code perClass} infected and as many uninfected crops, 100 to 140 px. */
    static CellSource syntheticSource(int perClass, long seed) {
        Random rnd = new Random(seed);
        List<CellCrop> crops = new ArrayList<>();
        for (int i = 0; i < perClass; i++) {
            crops.add(new CellCrop(SyntheticCells.cell(rnd, true, 100 + rnd.nextInt(40), 100 + rnd.nextInt(40)), true));
            crops.add(new CellCrop(SyntheticCells.cell(rnd, false, 100 + rnd.nextInt(40), 100 + rnd.nextInt(40)), false));
        }
        return CellSource.of(crops);
    }

    /** Whether two cells' masks overlap or come within one pixel (8-neighbourhood) of each other. */
    static boolean touch(CellFootprint a, CellFootprint b) {
        var ba = a.box();
        var bb = b.box();
        int x0 = Math.max(ba.x(), bb.x() - 1);
        int x1 = Math.min(ba.right(), bb.right() + 1);
        int y0 = Math.max(ba.y(), bb.y() - 1);
        int y1 = Math.min(ba.bottom(), bb.bottom() + 1);
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                if (!a.contains(x, y)) {
                    continue;
                }
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        if (b.contains(x + dx, y + dy)) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    /** Pixels inside both masks, counted pixel by pixel over the union of their boxes. */
    static int overlap(CellFootprint a, CellFootprint b) {
        var ba = a.box();
        var bb = b.box();
        int n = 0;
        for (int y = Math.min(ba.y(), bb.y()); y < Math.max(ba.bottom(), bb.bottom()); y++) {
            for (int x = Math.min(ba.x(), bb.x()); x < Math.max(ba.right(), bb.right()); x++) {
                if (a.contains(x, y) && b.contains(x, y)) {
                    n++;
                }
            }
        }
        return n;
    }
}
