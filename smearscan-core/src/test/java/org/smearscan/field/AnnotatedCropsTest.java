package org.smearscan.field;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.smearscan.field.truth.AnnotatedCell;
import org.smearscan.field.truth.CellType;
import org.smearscan.segment.Box;
import org.smearscan.segment.CellSegmenter;
import org.smearscan.segment.Segmentation;
import org.smearscan.segment.SegmentationParameters;
import org.smearscan.testing.SyntheticFields;
import org.smearscan.testing.SyntheticFields.Disc;

class AnnotatedCropsTest {

    @Test
    void cropsFoundCellsWithTheirMaskAndMissedBoxesFromTheBoxLeavingOutDifficultAndCutOnes() {
        SyntheticFields.Field field = SyntheticFields.draw(640, 480, List.of(new Disc(150, 200, 38, true),
                new Disc(400, 200, 38), new Disc(560, 380, 38), new Disc(20, 400, 38)), 5);
        Segmentation segmentation = new CellSegmenter(SegmentationParameters.DEFAULT).analyse(field.image());
        List<AnnotatedCell> cells = List.of(
                new AnnotatedCell(field.discs().get(0).box(), CellType.RING),
                new AnnotatedCell(field.discs().get(1).box(), CellType.UNINFECTED),
                new AnnotatedCell(field.discs().get(2).box(), CellType.DIFFICULT),
                new AnnotatedCell(field.discs().get(3).box().clampTo(640, 480), CellType.UNINFECTED),
                // a box where the segmentation found nothing: between the cells, on the background
                new AnnotatedCell(new Box(250, 350, 70, 70), CellType.UNINFECTED),
                // a box around a cell the segmentation found, but shifted too far to match it
                new AnnotatedCell(new Box(400 - 38 + 40, 200 - 38, 76, 76), CellType.GAMETOCYTE));

        List<AnnotatedCrops.LabelledCrop> crops = AnnotatedCrops.of(field.image(), segmentation, cells, false);

        assertThat(crops).extracting(c -> c.cell().type())
                .containsExactly(CellType.RING, CellType.UNINFECTED, CellType.GAMETOCYTE);
        assertThat(crops).extracting(AnnotatedCrops.LabelledCrop::segmented).containsExactly(true, true, false);
        // a found cell's crop is its segmented box, black outside the disc
        assertThat(crops.get(0).crop().getWidth()).isBetween(76, 90);
        assertThat(crops.get(0).crop().getRGB(0, 0) & 0xffffff).isZero();
        assertThat(crops.get(0).crop().getRGB(crops.get(0).crop().getWidth() / 2, crops.get(0).crop().getHeight() / 2) & 0xffffff)
                .isNotZero();
    }
}
