package org.smearscan.segment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.smearscan.testing.SyntheticFields;

/**
 * The generated fields that the screen's tests use are fields the default segmentation reads: nearly every
 * drawn disc is found, at its place and size, and nothing is found between them.
 */
class SyntheticFieldSegmentationTest {

    @ParameterizedTest
    @CsvSource({"1, 640, 480", "2, 1280, 960"})
    void theDefaultSegmenterFindsTheDrawnCells(long seed, int width, int height) {
        SyntheticFields.Field field = SyntheticFields.gridField(seed, width, height);
        List<SegmentedCell> found = new CellSegmenter(SegmentationParameters.DEFAULT).segment(field.image());
        long matched = field.discs().stream().filter(d -> found.stream().anyMatch(c -> Math.hypot(c.centerX() - d.x(),
                c.centerY() - d.y()) < 8 && Math.abs(c.radius() - d.r()) < 10)).count();
        assertThat(matched).as("drawn discs found of %d", field.discs().size()).isGreaterThanOrEqualTo(Math.round(0.9 * field.discs().size()));
        long stray = found.stream().filter(c -> field.discs().stream()
                .noneMatch(d -> Math.hypot(c.centerX() - d.x(), c.centerY() - d.y()) < d.r())).count();
        assertThat(stray).as("cells found where none was drawn").isLessThanOrEqualTo(1);
    }
}
