package org.smearscan.field.compose;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.smearscan.field.truth.AnnotatedCell;
import org.smearscan.testing.RepositoryPaths;

/** A field composed from the developers' NIH crops, when they are there. */
class RealCropsCompositionTest {
    private static final Path CELL_IMAGES = RepositoryPaths.SHARED_DATA.resolve("cell_images");

    @Test
    void aFieldOfFortyRealCropsHoldsExactlyTheCellsAsked() throws IOException {
        Assumptions.assumeTrue(Files.isDirectory(CELL_IMAGES.resolve(CellSource.PARASITIZED))
                        && Files.isDirectory(CELL_IMAGES.resolve(CellSource.UNINFECTED)),
                "skipped: the NIH crops are not at " + CELL_IMAGES.toAbsolutePath().normalize()
                        + " (cell_images/Parasitized and cell_images/Uninfected)");

        CellSource source = CellSource.fromFolder(CELL_IMAGES, 20, 11);
        assertThat(source.infected()).hasSize(20);
        assertThat(source.uninfected()).hasSize(20);

        FieldComposer composer = FieldComposer.builder(source).seed(11).build();
        ComposedField field = composer.compose(0.05);

        assertThat(field.cellCount()).isEqualTo(composer.cellCount()).isBetween(150, 200);
        assertThat(field.infectedCount()).isEqualTo((int) Math.round(0.05 * composer.cellCount()));
        assertThat(field.trueParasitemia()).isEqualTo((double) field.infectedCount() / field.cellCount());
        for (AnnotatedCell cell : field.cells()) {
            assertThat(cell.box().x()).isNotNegative();
            assertThat(cell.box().y()).isNotNegative();
            assertThat(cell.box().right()).isLessThanOrEqualTo(1280);
            assertThat(cell.box().bottom()).isLessThanOrEqualTo(960);
        }
        double[] widths = field.cells().stream().mapToDouble(c -> c.box().w()).sorted().toArray();
        assertThat(widths[widths.length / 2]).as("median box width").isBetween(70.0, 88.0);
    }
}
