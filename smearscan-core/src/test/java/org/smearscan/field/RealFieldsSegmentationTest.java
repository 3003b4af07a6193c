package org.smearscan.field;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.smearscan.data.ImageDecoding;
import org.smearscan.field.truth.AnnotatedCell;
import org.smearscan.field.truth.BoxMatching;
import org.smearscan.field.truth.FieldAnnotations;
import org.smearscan.segment.Box;
import org.smearscan.segment.CellSegmenter;
import org.smearscan.segment.SegmentationParameters;
import org.smearscan.segment.SegmentedCell;
import org.smearscan.testing.RepositoryPaths;

/**
 * The segmentation on the real IML-Malaria fields it was tuned on (the first 20 of names.txt): the share of boxed
 * cells found at IoU 0.5 must not fall below what was measured when it was chosen (94.9%), less a margin.
 */
class RealFieldsSegmentationTest {
    static final Path FIELDS = RepositoryPaths.SHARED_DATA.resolve("smear_fields");

    @Test
    void findsTheBoxedCellsOfTheTuningFields() throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(FIELDS.resolve("annotations.json")),
                "skipped: the smear fields are not at " + FIELDS.toAbsolutePath().normalize());
        FieldAnnotations annotations = FieldAnnotations.read(FIELDS.resolve("annotations.json"));
        List<String> names = Files.readAllLines(FIELDS.resolve("names.txt")).stream().filter(s -> !s.isBlank()).limit(20).toList();
        CellSegmenter segmenter = new CellSegmenter(SegmentationParameters.DEFAULT);
        int boxes = 0;
        int found = 0;
        for (String name : names) {
            var image = ImageDecoding.read(FIELDS.resolve("fields").resolve(name));
            List<AnnotatedCell> cells = annotations.cellsWithin(name, image.getWidth(), image.getHeight()).stream()
                    .filter(c -> c.type().isCounted() && !c.box().nearBorder(image.getWidth(), image.getHeight(), 3)).toList();
            List<Box> detected = segmenter.segment(image).stream().map(SegmentedCell::box).toList();
            boxes += cells.size();
            found += BoxMatching.greedy(detected, cells.stream().map(AnnotatedCell::box).toList(), 0.5).size();
        }
        assertThat(boxes).isGreaterThan(2000);
        assertThat((double) found / boxes).as("%d of %d boxed cells found", found, boxes).isGreaterThan(0.94);
    }
}
