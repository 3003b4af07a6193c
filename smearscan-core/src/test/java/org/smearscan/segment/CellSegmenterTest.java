package org.smearscan.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.smearscan.testing.SyntheticFields;

class CellSegmenterTest {
    private final CellSegmenter segmenter = new CellSegmenter(SegmentationParameters.DEFAULT);

    @Test
    void findsEveryDiscOnceWithABoxThatMatchesIt() {
        List<SyntheticFields.Disc> discs = new ArrayList<>();
        for (int y = 60; y < 700; y += 110) {
            for (int x = 60; x < 940; x += 110) {
                discs.add(new SyntheticFields.Disc(x + (y / 110 % 2) * 10, y, 34 + (x / 110) % 7, x == 60));
            }
        }
        SyntheticFields.Field field = SyntheticFields.draw(960, 720, discs, 7);
        List<SegmentedCell> cells = segmenter.segment(field.image());

        assertThat(cells).hasSize(field.discs().size());
        for (SyntheticFields.Disc d : field.discs()) {
            Box truth = d.box();
            assertThat(cells).as("a cell at IoU >= 0.7 with the disc at %.0f,%.0f", d.x(), d.y())
                    .anyMatch(c -> c.box().iou(truth) >= 0.7);
        }
    }

    @Test
    void splitsTwoTouchingCellsAndGivesEachPixelToOneOfThem() {
        SyntheticFields.Field field = SyntheticFields.touchingPair(640, 480, 38, 10);
        List<SegmentedCell> cells = segmenter.segment(field.image());

        assertThat(cells).hasSize(2);
        SegmentedCell left = cells.get(0).centerX() < cells.get(1).centerX() ? cells.get(0) : cells.get(1);
        SegmentedCell right = left == cells.get(0) ? cells.get(1) : cells.get(0);
        int shared = 0;
        for (int y = 0; y < 480; y++) {
            for (int x = 0; x < 640; x++) {
                if (left.contains(x, y) && right.contains(x, y)) {
                    shared++;
                }
            }
        }
        assertThat(shared).isZero();
        assertThat(left.maskArea()).isGreaterThan((int) (0.8 * Math.PI * 38 * 38 * 0.9));
        assertThat(left.contains((int) left.centerX(), (int) left.centerY())).isTrue();
    }

    @Test
    void anEmptyFieldHasNoCells() {
        SyntheticFields.Field field = SyntheticFields.draw(640, 480, List.of(), 3);
        assertThat(segmenter.segment(field.image())).isEmpty();
    }

    @Test
    void aCellAtTheEdgeIsMarkedCut() {
        SyntheticFields.Field field = SyntheticFields.draw(640, 480,
                List.of(new SyntheticFields.Disc(20, 240, 38, false), new SyntheticFields.Disc(320, 240, 38, false)), 3);
        List<SegmentedCell> cells = segmenter.segment(field.image());

        assertThat(cells).hasSize(2);
        assertThat(cells).filteredOn(SegmentedCell::cut).singleElement()
                .satisfies(c -> assertThat(c.box().x()).isZero());
    }

    @Test
    void aMissedBoxIsCutAsTheInscribedDiscOnTheForeground() {
        SyntheticFields.Field field = SyntheticFields.draw(640, 480, List.of(new SyntheticFields.Disc(320, 240, 38, false)), 3);
        Segmentation s = segmenter.analyse(field.image());
        SegmentedCell inBox = s.cellInBox(new Box(282, 202, 76, 76));
        SegmentedCell background = s.cellInBox(new Box(40, 40, 76, 76));

        assertThat(inBox.maskArea()).isGreaterThan((int) (0.85 * Math.PI * 38 * 38));
        assertThat(background.maskArea()).isZero();
        assertThatThrownBy(() -> s.cellInBox(new Box(700, 10, 20, 20))).hasMessageContaining("outside");
    }

    @Test
    void cropsAreBlackOutsideTheMask() {
        SyntheticFields.Field field = SyntheticFields.touchingPair(640, 480, 38, 10);
        SegmentedCell cell = segmenter.segment(field.image()).get(0);
        var crop = CellCrops.crop(field.image(), cell);

        assertThat(crop.getWidth()).isEqualTo(cell.box().w());
        for (int y = 0; y < crop.getHeight(); y++) {
            for (int x = 0; x < crop.getWidth(); x++) {
                boolean inside = cell.mask()[y * crop.getWidth() + x] != 0;
                assertThat((crop.getRGB(x, y) & 0xffffff) == 0).as("pixel %d,%d", x, y).isEqualTo(!inside);
            }
        }
    }

    @Test
    void boxesKnowTheirOverlap() {
        Box a = new Box(0, 0, 10, 10);
        assertThat(a.iou(a)).isEqualTo(1.0);
        assertThat(a.iou(new Box(5, 0, 10, 10))).isEqualTo(50.0 / 150.0);
        assertThat(a.iou(new Box(10, 0, 10, 10))).isZero();
        assertThat(new Box(-3, 5, 10, 10).clampTo(100, 100)).isEqualTo(new Box(0, 5, 7, 10));
        assertThat(a.nearBorder(100, 100, 3)).isTrue();
        assertThat(new Box(10, 10, 10, 10).nearBorder(100, 100, 3)).isFalse();
    }

    @Test
    void parametersScaleWithTheCellWidth() {
        SegmentationParameters same = SegmentationParameters.forCellWidth(SegmentationParameters.DEFAULT_CELL_WIDTH);
        SegmentationParameters half = SegmentationParameters.forCellWidth(SegmentationParameters.DEFAULT_CELL_WIDTH / 2);

        assertThat(same).isEqualTo(SegmentationParameters.DEFAULT);
        assertThat(half.minRadius()).isEqualTo(13);
        assertThat(half.scale()).isEqualTo(1.0);
    }
}
