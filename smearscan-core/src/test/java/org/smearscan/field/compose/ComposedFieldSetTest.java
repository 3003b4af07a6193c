package org.smearscan.field.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smearscan.field.truth.AnnotatedCell;
import org.smearscan.field.truth.CellType;
import org.smearscan.segment.Box;

class ComposedFieldSetTest {

    @Test
    void theSetHoldsReadablePicturesAndTheirTruth(@TempDir Path dir) throws IOException {
        FieldComposer composer = FieldComposer.builder(ComposeFixtures.syntheticSource(6, 2)).size(480, 360).seed(3).build();
        List<ComposedField> fields = List.of(composer.compose(0.1), composer.compose(0.25));

        ComposedFieldSet.write(dir, fields, "synthetic");

        try (var listing = Files.list(dir.resolve("fields"))) {
            assertThat(listing.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly("synthetic-001.png", "synthetic-002.png");
        }
        JsonNode truth = new ObjectMapper().readTree(dir.resolve("truth.json").toFile());
        assertThat(truth.isArray()).isTrue();
        assertThat(truth).hasSize(2);
        for (int i = 0; i < fields.size(); i++) {
            ComposedField field = fields.get(i);
            JsonNode entry = truth.get(i);
            String name = entry.get("image_name").asText();
            assertThat(name).isEqualTo("synthetic-00" + (i + 1) + ".png");

            BufferedImage read = ImageIO.read(dir.resolve("fields").resolve(name).toFile());
            assertThat(read.getWidth()).isEqualTo(480);
            assertThat(read.getRGB(0, 0, 480, 360, null, 0, 480))
                    .isEqualTo(field.image().getRGB(0, 0, 480, 360, null, 0, 480));

            JsonNode objects = entry.get("objects");
            assertThat(objects).hasSize(field.cellCount());
            int infected = 0;
            for (int k = 0; k < objects.size(); k++) {
                JsonNode o = objects.get(k);
                JsonNode bbox = o.get("bbox");
                assertThat(bbox.get("x").isTextual()).as("values are strings, as in IML-Malaria").isTrue();
                Box box = new Box(Integer.parseInt(bbox.get("x").asText()), Integer.parseInt(bbox.get("y").asText()),
                        Integer.parseInt(bbox.get("w").asText()), Integer.parseInt(bbox.get("h").asText()));
                CellType type = CellType.fromAnnotation(o.get("type").asText()).orElseThrow();
                assertThat(new AnnotatedCell(box, type)).isEqualTo(field.cells().get(k));
                infected += type.isInfected() ? 1 : 0;
            }
            assertThat(infected).isEqualTo(field.infectedCount());
        }
        try (var all = Files.walk(dir)) {
            assertThat(all.filter(p -> p.getFileName().toString().endsWith(".tmp"))).as("temporary files").isEmpty();
        }
    }

    @Test
    void thePrefixMustBeAPlainName(@TempDir Path dir) {
        assertThatThrownBy(() -> ComposedFieldSet.write(dir, List.of(), "../up")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ComposedFieldSet.write(dir, List.of(), "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aComposedFieldChecksItsParasitemia() {
        BufferedImage image = new BufferedImage(10, 10, BufferedImage.TYPE_INT_RGB);
        CellFootprint fp = new CellFootprint(0, 0, CellMask.of(1, 1, new boolean[] {true}));
        List<AnnotatedCell> cells = List.of(new AnnotatedCell(new Box(0, 0, 1, 1), CellType.INFECTED),
                new AnnotatedCell(new Box(2, 2, 1, 1), CellType.UNINFECTED));

        ComposedField field = new ComposedField(image, cells, 0.5, List.of(fp, fp));

        assertThat(field.infectedCount()).isEqualTo(1);
        assertThat(field.cellCount()).isEqualTo(2);
        assertThatThrownBy(() -> new ComposedField(image, cells, 0.4, List.of(fp, fp)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 of 2");
        assertThatThrownBy(() -> new ComposedField(image, cells, 0.5, List.of(fp)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
