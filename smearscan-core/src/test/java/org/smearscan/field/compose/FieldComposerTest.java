package org.smearscan.field.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.smearscan.field.truth.AnnotatedCell;
import org.smearscan.field.truth.CellType;
import org.smearscan.segment.Box;

class FieldComposerTest {
    private static CellSource source;
    /** One full-size field with the default settings, 5% infected, and a white cell and platelets for sure. */
    private static ComposedField field;
    private static FieldComposer composer;

    @BeforeAll
    static void compose() {
        source = ComposeFixtures.syntheticSource(12, 3);
        composer = FieldComposer.builder(source).whiteCells(1, 1).platelets(6, 6).debris(3, 3).seed(42).build();
        field = composer.compose(0.05);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, 0.02, 0.05, 0.10})
    void theInfectedCountIsExact(double parasitemia) {
        FieldComposer c = FieldComposer.builder(source).seed(7).build();
        ComposedField f = c.compose(parasitemia);

        int expected = (int) Math.round(parasitemia * c.cellCount());
        assertThat(f.cellCount()).isEqualTo(c.cellCount());
        assertThat(f.infectedCount()).isEqualTo(expected);
        assertThat(f.cells().stream().filter(cell -> cell.type() == CellType.INFECTED)).hasSize(expected);
        assertThat(f.cells()).allSatisfy(cell -> assertThat(cell.type()).isIn(CellType.INFECTED, CellType.UNINFECTED));
        assertThat(f.trueParasitemia()).isEqualTo((double) expected / c.cellCount());
    }

    @Test
    void theDefaultFieldLooksLikeARealOne() {
        assertThat(field.image().getWidth()).isEqualTo(1280);
        assertThat(field.image().getHeight()).isEqualTo(960);
        assertThat(field.cellCount()).isBetween(150, 200);
        double[] widths = field.footprints().stream().mapToDouble(f -> f.box().w()).sorted().toArray();
        assertThat(widths[widths.length / 2]).isBetween(70.0, 88.0);
    }

    @Test
    void boxesLieInsideTheImageAndAreTheClampedMasks() {
        int w = field.image().getWidth();
        int h = field.image().getHeight();
        for (int i = 0; i < field.cellCount(); i++) {
            Box box = field.cells().get(i).box();
            assertThat(box.x()).isNotNegative();
            assertThat(box.y()).isNotNegative();
            assertThat(box.right()).isLessThanOrEqualTo(w);
            assertThat(box.bottom()).isLessThanOrEqualTo(h);
            assertThat(box).isEqualTo(field.footprints().get(i).box().clampTo(w, h));
        }
        long cut = field.footprints().stream().map(f -> f.box())
                .filter(b -> b.x() < 0 || b.y() < 0 || b.right() > w || b.bottom() > h).count();
        assertThat(cut).as("cells partly outside the image").isBetween(1L, (long) (0.25 * field.cellCount()));
    }

    @Test
    void noCellLosesMoreThanTheMaximumToItsNeighbours() {
        List<CellFootprint> fp = field.footprints();
        long[] lost = new long[fp.size()];
        int overlapping = 0;
        for (int i = 0; i < fp.size(); i++) {
            for (int j = i + 1; j < fp.size(); j++) {
                if (fp.get(i).box().iou(fp.get(j).box()) == 0) {
                    continue;
                }
                int o = ComposeFixtures.overlap(fp.get(i), fp.get(j));
                assertThat((double) o).as("cells %d and %d", i, j)
                        .isLessThanOrEqualTo(0.2 * Math.min(fp.get(i).area(), fp.get(j).area()));
                lost[i] += o;
                lost[j] += o;
                if (o > 0) {
                    overlapping++;
                }
            }
        }
        for (int i = 0; i < fp.size(); i++) {
            assertThat((double) lost[i]).as("cell %d", i).isLessThanOrEqualTo(0.2 * fp.get(i).area());
        }
        assertThat(overlapping).as("pairs that overlap").isPositive();
    }

    @Test
    void someCellsTouchAndTheOthersLieApart() {
        List<CellFootprint> fp = field.footprints();
        boolean[] touching = new boolean[fp.size()];
        for (int i = 0; i < fp.size(); i++) {
            for (int j = i + 1; j < fp.size(); j++) {
                if (ComposeFixtures.touch(fp.get(i), fp.get(j))) {
                    touching[i] = true;
                    touching[j] = true;
                }
            }
        }
        int n = 0;
        for (boolean t : touching) {
            n += t ? 1 : 0;
        }
        double share = (double) n / fp.size();
        assertThat(share).as("share of cells touching another").isBetween(0.3, 0.6);
    }

    @Test
    void whiteCellsAndPlateletsAreDrawnButAreNotCells() {
        // purple: the white cell's nucleus and the platelets; the cells (and overlaps of them) are mauve-grey
        BufferedImage image = field.image();
        int w = image.getWidth();
        int h = image.getHeight();
        boolean[] purple = new boolean[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = image.getRGB(x, y);
                int r = (p >> 16) & 0xff;
                int g = (p >> 8) & 0xff;
                int b = p & 0xff;
                purple[y * w + x] = b - g > 45 && r - g > 25 && !insideACell(x, y);
            }
        }
        List<int[]> blobs = components(purple, w, h);
        List<int[]> nuclei = blobs.stream().filter(b -> b[0] >= 300).toList();
        List<int[]> platelets = blobs.stream().filter(b -> b[0] >= 10 && b[0] < 300).toList();
        assertThat(nuclei).as("white-cell nuclei").hasSize(1);
        assertThat(platelets).as("platelets").hasSizeBetween(3, 6);
        int[] nucleus = nuclei.get(0);
        for (AnnotatedCell cell : field.cells()) {
            Box b = cell.box();
            boolean holds = nucleus[1] >= b.x() && nucleus[1] < b.right() && nucleus[2] >= b.y() && nucleus[2] < b.bottom();
            assertThat(holds).as("a cell's box holds the white cell's nucleus").isFalse();
        }
        assertThat(field.cellCount()).isEqualTo(composer.cellCount());
    }

    @Test
    void theSameSeedGivesTheSameImageAndAnotherSeedAnother() {
        FieldComposer a = FieldComposer.builder(source).size(640, 480).seed(5).build();
        FieldComposer b = FieldComposer.builder(source).size(640, 480).seed(5).build();
        FieldComposer c = FieldComposer.builder(source).size(640, 480).seed(6).build();
        ComposedField fa = a.compose(0.1);
        ComposedField fb = b.compose(0.1);
        ComposedField fc = c.compose(0.1);

        assertThat(pixels(fa.image())).isEqualTo(pixels(fb.image()));
        assertThat(fa.cells()).isEqualTo(fb.cells());
        assertThat(Arrays.equals(pixels(fa.image()), pixels(fc.image()))).isFalse();
        assertThat(Arrays.equals(pixels(a.compose(0.1).image()), pixels(fa.image())))
                .as("the next field of a sequence").isFalse();
    }

    @Test
    void theCellsAreMauveOnALightBackground() {
        BufferedImage image = field.image();
        long bgSum = 0;
        long cellR = 0;
        long cellG = 0;
        long cellB = 0;
        int bgN = 0;
        int cellN = 0;
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                int p = image.getRGB(x, y);
                int count = 0;
                for (CellFootprint f : field.footprints()) {
                    if (f.contains(x, y)) {
                        count++;
                    }
                }
                if (count == 1) {
                    cellR += (p >> 16) & 0xff;
                    cellG += (p >> 8) & 0xff;
                    cellB += p & 0xff;
                    cellN++;
                } else if (count == 0) {
                    bgSum += (p >> 8) & 0xff;
                    bgN++;
                }
            }
        }
        assertThat((double) bgSum / bgN).as("background green").isBetween(195.0, 235.0);
        double r = (double) cellR / cellN;
        double g = (double) cellG / cellN;
        double b = (double) cellB / cellN;
        assertThat(g).as("cell green").isBetween(95.0, 150.0);
        assertThat(r).as("cells are mauve: red above green").isGreaterThan(g + 5);
        assertThat(b).as("cells are mauve: blue above green").isGreaterThan(g + 5);
    }

    @Test
    void parasitesStayDarkPurpleInsideTheirCells() {
        // no overlaps, so that no parasite lies under another cell
        FieldComposer c = FieldComposer.builder(source).size(640, 480).cellCount(30).maxOverlap(0).whiteCells(0, 0)
                .platelets(0, 0).debris(0, 0).seed(13).build();
        ComposedField f = c.compose(0.5);
        BufferedImage image = f.image();
        for (int i = 0; i < f.cellCount(); i++) {
            CellFootprint own = f.footprints().get(i);
            List<int[]> pixels = new ArrayList<>();
            Box box = f.cells().get(i).box();
            for (int y = box.y(); y < box.bottom(); y++) {
                for (int x = box.x(); x < box.right(); x++) {
                    if (wellInside(own, x, y) && onlyIn(f, i, x, y)) {
                        int p = image.getRGB(x, y);
                        pixels.add(new int[] {(p >> 16) & 0xff, (p >> 8) & 0xff, p & 0xff});
                    }
                }
            }
            int[] greens = pixels.stream().mapToInt(p -> p[1]).sorted().toArray();
            double median = greens[greens.length / 2];
            long darkPurple = pixels.stream().filter(p -> p[1] < 0.7 * median && p[2] - p[1] > 40).count();
            if (f.cells().get(i).type() == CellType.INFECTED) {
                assertThat(darkPurple).as("dark purple pixels in infected cell %d", i).isGreaterThanOrEqualTo(3);
            } else {
                assertThat(darkPurple).as("dark purple pixels in uninfected cell %d", i).isZero();
            }
        }
    }

    /** Inside the cell and 3 px away from its edge, where the soft edge does not reach. */
    private static boolean wellInside(CellFootprint f, int x, int y) {
        for (int dy = -3; dy <= 3; dy++) {
            for (int dx = -3; dx <= 3; dx++) {
                if (!f.contains(x + dx, y + dy)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean onlyIn(ComposedField f, int cell, int x, int y) {
        for (int j = 0; j < f.cellCount(); j++) {
            if (j != cell && f.footprints().get(j).contains(x, y)) {
                return false;
            }
        }
        return true;
    }

    @Test
    void aComposerRefusesWhatItCannotDo() {
        FieldComposer c = FieldComposer.builder(source).size(320, 240).build();
        assertThatThrownBy(() -> c.compose(1.5)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1.5");
        assertThatThrownBy(() -> c.compose(Double.NaN)).isInstanceOf(IllegalArgumentException.class);

        CellSource healthy = CellSource.of(source.uninfected());
        FieldComposer h = FieldComposer.builder(healthy).size(320, 240).build();
        assertThat(h.compose(0).infectedCount()).isZero();
        assertThatThrownBy(() -> h.compose(0.1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no infected crop");

        FieldComposer crowded = FieldComposer.builder(source).size(320, 240).cellCount(400).build();
        assertThatThrownBy(() -> crowded.compose(0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("of 400 cells");
        assertThatThrownBy(() -> FieldComposer.builder(source).maxOverlap(0.9)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FieldComposer.builder(source).whiteCells(3, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFieldWithoutOverlapOrTouchingKeepsEveryCellApart() {
        FieldComposer c = FieldComposer.builder(source).size(640, 480).cellCount(25).touchingFraction(0).maxOverlap(0)
                .seed(9).build();
        ComposedField f = c.compose(0.2);
        List<CellFootprint> fp = f.footprints();
        for (int i = 0; i < fp.size(); i++) {
            for (int j = i + 1; j < fp.size(); j++) {
                assertThat(ComposeFixtures.touch(fp.get(i), fp.get(j))).as("cells %d and %d touch", i, j).isFalse();
            }
        }
        assertThat(f.infectedCount()).isEqualTo(5);
    }

    private static boolean insideACell(int x, int y) {
        for (CellFootprint f : field.footprints()) {
            if (f.contains(x, y)) {
                return true;
            }
        }
        return false;
    }

    private static int[] pixels(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }

    /** 8-connected components: {size, centre x, centre y} each. */
    private static List<int[]> components(boolean[] on, int w, int h) {
        boolean[] seen = new boolean[on.length];
        List<int[]> out = new ArrayList<>();
        int[] stack = new int[on.length];
        for (int s = 0; s < on.length; s++) {
            if (!on[s] || seen[s]) {
                continue;
            }
            int top = 0;
            stack[top++] = s;
            seen[s] = true;
            long sx = 0;
            long sy = 0;
            int n = 0;
            while (top > 0) {
                int i = stack[--top];
                int x = i % w;
                int y = i / w;
                n++;
                sx += x;
                sy += y;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int nx = x + dx;
                        int ny = y + dy;
                        if (nx >= 0 && ny >= 0 && nx < w && ny < h && on[ny * w + nx] && !seen[ny * w + nx]) {
                            seen[ny * w + nx] = true;
                            stack[top++] = ny * w + nx;
                        }
                    }
                }
            }
            out.add(new int[] {n, (int) (sx / n), (int) (sy / n)});
        }
        return out;
    }
}
