package org.smearscan.field.truth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.smearscan.segment.Box;

class FieldAnnotationsTest {
    @TempDir
    Path dir;

    private Path file(String json) throws IOException {
        Path file = dir.resolve("annotations.json");
        Files.writeString(file, json.replace('\'', '"'));
        return file;
    }

    private static String cell(String type, String x, String y, String h, String w) {
        return "{'type': '" + type + "', 'bbox': {'x': " + x + ", 'y': " + y + ", 'h': " + h + ", 'w': " + w + "}}";
    }

    @Test
    void readsValuesWrittenAsStringsOrNumbersInFileOrder() throws IOException {
        Path file = file("[{'image_name': 'PA171710.JPG', 'objects': [" + cell("red blood cell", "'305'", "'169'", "'78'",
                "'81'") + ", " + cell("Ring ", "12", "7", "40", "41") + ", " + cell("difficult", "'3.0'", "-2", "5", "6")
                + "]}, {'image_name': 'PA171695.JPG', 'objects': []}]");

        FieldAnnotations annotations = FieldAnnotations.read(file);

        assertThat(annotations.imageNames()).containsExactly("PA171710.JPG", "PA171695.JPG");
        assertThat(annotations.size()).isEqualTo(2);
        assertThat(annotations.has("PA171695.JPG")).isTrue();
        assertThat(annotations.has("PA000000.JPG")).isFalse();
        assertThat(annotations.cells("PA171710.JPG")).containsExactly(
                new AnnotatedCell(new Box(305, 169, 81, 78), CellType.UNINFECTED),
                new AnnotatedCell(new Box(12, 7, 41, 40), CellType.RING),
                new AnnotatedCell(new Box(3, -2, 6, 5), CellType.DIFFICULT));
        assertThat(annotations.cells("PA171695.JPG")).isEmpty();
    }

    @Test
    void anImageNotInTheFileIsAnErrorNamingImageAndFile() throws IOException {
        Path file = file("[{'image_name': 'a.JPG', 'objects': []}]");
        FieldAnnotations annotations = FieldAnnotations.read(file);
        assertThatThrownBy(() -> annotations.cells("b.JPG")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("b.JPG").hasMessageContaining(file.toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "missing objects      | {'image_name': 'bad.JPG'}                                                  | \"objects\"",
        "missing type         | {'image_name': 'bad.JPG', 'objects': [{'bbox': {'x': '1', 'y': '1', 'h': '5', 'w': '5'}}]} | \"type\"",
        "missing bbox         | {'image_name': 'bad.JPG', 'objects': [{'type': 'ring'}]}                   | \"bbox\"",
        "missing w            | {'image_name': 'bad.JPG', 'objects': [{'type': 'ring', 'bbox': {'x': '1', 'y': '1', 'h': '5'}}]} | \"bbox.w\"",
        "non-numeric value    | {'image_name': 'bad.JPG', 'objects': [{'type': 'ring', 'bbox': {'x': 'abc', 'y': '1', 'h': '5', 'w': '5'}}]} | bbox.x is \"abc\", not a whole number",
        "fractional value     | {'image_name': 'bad.JPG', 'objects': [{'type': 'ring', 'bbox': {'x': '1', 'y': 2.5, 'h': '5', 'w': '5'}}]} | bbox.y is 2.5, not a whole number",
        "zero width           | {'image_name': 'bad.JPG', 'objects': [{'type': 'ring', 'bbox': {'x': '1', 'y': '1', 'h': '5', 'w': '0'}}]} | width 0",
        "negative height      | {'image_name': 'bad.JPG', 'objects': [{'type': 'ring', 'bbox': {'x': '1', 'y': '1', 'h': '-4', 'w': '3'}}]} | height -4",
        "unknown type         | {'image_name': 'bad.JPG', 'objects': [{'type': 'platelet', 'bbox': {'x': '1', 'y': '1', 'h': '5', 'w': '5'}}]} | unknown type \"platelet\"; known types: red blood cell, ring, trophozoite, schizont, gametocyte, infected, difficult",
    })
    void eachFormatErrorNamesTheFileTheImageAndTheProblem(String what, String entry, String problem)
            throws IOException {
        Path file = file("[{'image_name': 'good.JPG', 'objects': []}, " + entry + "]");
        assertThatThrownBy(() -> FieldAnnotations.read(file)).isInstanceOf(AnnotationFormatException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("image bad.JPG (entry [1])")
                .hasMessageContaining(problem);
    }

    @Test
    void anEntryWithoutANameIsNamedByItsIndex() throws IOException {
        Path file = file("[{'image_name': 'good.JPG', 'objects': []}, {'objects': []}]");
        assertThatThrownBy(() -> FieldAnnotations.read(file)).isInstanceOf(AnnotationFormatException.class)
                .hasMessageContaining(file + ", entry [1]").hasMessageContaining("missing key \"image_name\"");
    }

    @Test
    void aDuplicateImageNameNamesBothEntries() throws IOException {
        Path file = file("[{'image_name': 'twice.JPG', 'objects': []}, {'image_name': 'other.JPG', 'objects': []}, "
                + "{'image_name': 'twice.JPG', 'objects': []}]");
        assertThatThrownBy(() -> FieldAnnotations.read(file)).isInstanceOf(AnnotationFormatException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("image twice.JPG (entry [2])")
                .hasMessageContaining("duplicate image_name, already at entry [0]");
    }

    @Test
    void textThatIsNotJsonOrNotAnArrayNamesTheFile() throws IOException {
        Path notJson = file("[{'image_name': 'a.JPG', 'objects': [");
        assertThatThrownBy(() -> FieldAnnotations.read(notJson)).isInstanceOf(AnnotationFormatException.class)
                .hasMessageStartingWith(notJson + " is not JSON");
        Path object = file("{'image_name': 'a.JPG', 'objects': []}");
        assertThatThrownBy(() -> FieldAnnotations.read(object)).isInstanceOf(AnnotationFormatException.class)
                .hasMessageContaining(object.toString()).hasMessageContaining("expected a JSON array");
        Path empty = file("");
        assertThatThrownBy(() -> FieldAnnotations.read(empty)).isInstanceOf(AnnotationFormatException.class)
                .hasMessageContaining(empty + " is empty");
    }

    @Test
    void cellsWithinCutsBoxesToTheImageAndDropsThoseOutside() throws IOException {
        Path file = file("[{'image_name': 'f.JPG', 'objects': ["
                + cell("red blood cell", "'10'", "'10'", "'20'", "'20'") + ", "     // inside: unchanged
                + cell("ring", "'90'", "'70'", "'12'", "'15'") + ", "               // 5 px past right, 2 past bottom
                + cell("red blood cell", "'-3'", "'5'", "'10'", "'10'") + ", "      // 3 px past the left edge
                + cell("red blood cell", "'100'", "'10'", "'5'", "'5'") + "]}]");   // wholly right of the image
        FieldAnnotations annotations = FieldAnnotations.read(file);

        assertThat(annotations.cellsWithin("f.JPG", 100, 80)).containsExactly(
                new AnnotatedCell(new Box(10, 10, 20, 20), CellType.UNINFECTED),
                new AnnotatedCell(new Box(90, 70, 10, 10), CellType.RING),
                new AnnotatedCell(new Box(0, 5, 7, 10), CellType.UNINFECTED));
        assertThat(annotations.cells("f.JPG")).hasSize(4);
    }

    @Test
    void writeThenReadGivesTheSameCellsWithValuesAsStrings() throws IOException {
        Map<String, List<AnnotatedCell>> cells = new LinkedHashMap<>();
        cells.put("z.JPG", List.of(new AnnotatedCell(new Box(305, 169, 81, 78), CellType.UNINFECTED),
                new AnnotatedCell(new Box(1, 2, 3, 4), CellType.GAMETOCYTE)));
        cells.put("a.JPG", List.of());
        cells.put("m.JPG", java.util.Arrays.stream(CellType.values())
                .map(t -> new AnnotatedCell(new Box(t.ordinal() * 10, 5, 8, 9), t)).toList());
        Path file = dir.resolve("sub").resolve("composed.json");

        FieldAnnotations.write(file, cells);
        FieldAnnotations back = FieldAnnotations.read(file);

        assertThat(back.imageNames()).containsExactly("z.JPG", "a.JPG", "m.JPG");
        for (String name : cells.keySet()) {
            assertThat(back.cells(name)).isEqualTo(cells.get(name));
        }
        JsonNode first = new ObjectMapper().readTree(file.toFile()).get(0).get("objects").get(0);
        assertThat(first.get("type").asText()).isEqualTo("red blood cell");
        assertThat(first.get("bbox").get("x").isTextual()).isTrue();
        assertThat(first.get("bbox").get("w").asText()).isEqualTo("81");
        try (var listing = Files.list(file.getParent())) {
            assertThat(listing.map(p -> p.getFileName().toString())).containsExactly("composed.json");
        }
    }
}
