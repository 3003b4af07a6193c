package org.smearscan.field.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.smearscan.field.FieldResult;
import org.smearscan.field.ScreenRun;
import org.smearscan.field.ScreenedFile;
import org.smearscan.field.SlideGrouping;
import org.smearscan.field.SlideResult;
import org.smearscan.stats.ConfidenceIntervals;
import org.smearscan.stats.Estimate;

class FieldTablesTest {
    private final ScreenRun run = ScreenRuns.twoSlides();
    private final FieldTables tables = FieldTables.of(run);

    @Test
    void fieldsCsvCarriesEachFieldsCountAndEachProblemInInputOrder() {
        List<Map<String, String>> rows = Csv.parse(tables.fieldsCsv());
        assertThat(rows).extracting(r -> r.get("field"))
                .containsExactly("s1/a.png", "s1/b.png", "s1/c.png", "s2/tiny, \"small\".png", "s2/d.png");
        Map<String, String> a = rows.get(0);
        FieldResult ra = run.files().get(0).result();
        assertThat(a).containsEntry("slide", "s1").containsEntry("width", "640").containsEntry("height", "480")
                .containsEntry("cells", "8").containsEntry("infected", "2").containsEntry("not_a_cell", "1")
                .containsEntry("cut", "1").containsEntry("error", "").doesNotContainKey("overlay");
        assertThat(ra.countedCells()).isEqualTo(8);
        assertPercent(a, ra.parasitemia());
        assertThat(rows.get(1)).containsEntry("infected", "0").containsEntry("parasitemia_pct", "0.0000");
        assertThat(rows.get(2)).containsEntry("cells", "").containsEntry("error", "s1/c.png is not an image");
        assertThat(rows.get(3).get("error")).contains("is not a smear field");
        assertThat(rows.get(4)).containsEntry("cells", "0").containsEntry("parasitemia_pct", "")
                .containsEntry("ci_low_pct", "").containsEntry("error", "");
    }

    @Test
    void slidesCsvSumsTheScreenedFieldsAndCountsTheOthers() {
        List<Map<String, String>> rows = Csv.parse(tables.slidesCsv());
        assertThat(rows).extracting(r -> r.get("slide")).containsExactly("s1", "s2");
        SlideResult s1 = run.slides().get(0);
        assertThat(rows.get(0)).containsEntry("fields", "2").containsEntry("not_screened", "1")
                .containsEntry("cells", "18").containsEntry("infected", "2").containsEntry("not_a_cell", "2");
        assertPercent(rows.get(0), s1.parasitemia());
        assertThat(s1.parasitemia().value()).isCloseTo(2 / 18.0, within(1e-12));
        assertThat(rows.get(1)).containsEntry("fields", "1").containsEntry("not_screened", "1")
                .containsEntry("cells", "0").containsEntry("parasitemia_pct", "");
    }

    @Test
    void cellsCsvListsEveryCellWithItsCall() {
        List<Map<String, String>> rows = Csv.parse(tables.cellsCsv());
        assertThat(rows).hasSize(run.screened().stream().mapToInt(f -> f.result().cells().size()).sum());
        assertThat(rows).filteredOn(r -> r.get("field").equals("s1/a.png")).extracting(r -> r.get("call"))
                .containsExactly("uninfected", "uninfected", "uninfected", "uninfected", "uninfected", "uninfected",
                        "infected", "infected", "not_a_cell", "cut");
        Map<String, String> cut = rows.stream().filter(r -> r.get("call").equals("cut")).findFirst().orElseThrow();
        assertThat(cut).containsEntry("probability", "").containsEntry("x", "-21").containsEntry("w", "82");
        assertThat(rows.get(6)).containsEntry("probability", "0.600000");
    }

    @Test
    void jsonIsOneDocumentWithTheSameNumbers() throws IOException {
        JsonNode doc = new ObjectMapper().readTree(tables.json());
        assertThat(doc.get("model").asText()).isEqualTo("model-123");
        assertThat(doc.get("slides_by").asText()).isEqualTo("folder");
        assertThat(doc.get("screened").asInt()).isEqualTo(3);
        assertThat(doc.get("not_screened").asInt()).isEqualTo(2);
        JsonNode fields = doc.get("fields");
        assertThat(fields).hasSize(5);
        for (int i = 0; i < fields.size(); i++) {
            ScreenedFile f = run.files().get(i);
            JsonNode o = fields.get(i);
            assertThat(o.get("field").asText()).isEqualTo(f.name());
            if (f.isScreened()) {
                assertThat(o.has("error")).isFalse();
                assertThat(o.get("cells").asInt()).isEqualTo(f.result().countedCells());
                assertThat(o.get("infected").asInt()).isEqualTo(f.result().infectedCells());
                assertThat(o.get("not_a_cell").asInt()).isEqualTo(f.result().notACell());
                assertJsonPercent(o, f.result().parasitemia());
            } else {
                assertThat(o.get("error").asText()).isEqualTo(f.error());
                assertThat(o.has("cells")).isFalse();
            }
        }
        JsonNode slides = doc.get("slides");
        assertThat(slides).hasSize(2);
        assertThat(slides.get(0).get("cells").asInt()).isEqualTo(18);
        assertThat(slides.get(0).get("not_screened").asInt()).isEqualTo(1);
        assertJsonPercent(slides.get(0), run.slides().get(0).parasitemia());
        assertThat(slides.get(1).get("parasitemia_pct").isNull()).isTrue();
    }

    @Test
    void tableShowsFieldsErrorsAndSlides() {
        String text = tables.table();
        List<String> lines = text.lines().toList();
        assertThat(lines.get(0)).startsWith("FIELD").contains("SLIDE", "CELLS", "INFECTED", "PARASITEMIA", "95% CI");
        Estimate pa = run.files().get(0).result().parasitemia();
        assertThat(lines.get(1)).startsWith("s1/a.png").contains(" s1 ", " 8 ", " 2 ", "25.00%",
                String.format(java.util.Locale.ROOT, "[%.2f, %.2f]", 100 * pa.lo(), 100 * pa.hi()));
        assertThat(lines.get(3)).startsWith("s1/c.png").contains("ERROR: s1/c.png is not an image");
        assertThat(lines.get(5)).startsWith("s2/d.png").contains("n/a");
        assertThat(text).contains("\n\nSLIDE");
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("s1 ").contains(" 18 ", "11.11%"));

        ScreenRun perField = new ScreenRun(run.files().stream()
                .map(f -> f.isScreened() ? ScreenedFile.screened(f.file(), f.name(), f.result())
                        : ScreenedFile.failed(f.file(), f.name(), f.error())).toList(), SlideGrouping.FIELD, "m");
        String plain = FieldTables.of(perField).table();
        assertThat(plain).doesNotContain("SLIDE");
        assertThat(plain.lines().findFirst().orElseThrow()).startsWith("FIELD").contains("CELLS");
    }

    @Test
    void withAnOutputFolderEachFieldNamesItsOverlay() throws IOException {
        FieldTables out = FieldTables.withOverlays(run, Map.of(Path.of("s1/a.png"), "overlays/a.png",
                Path.of("s1/b.png"), "overlays/b.png", Path.of("s2/d.png"), "overlays/d.png"));
        List<Map<String, String>> rows = Csv.parse(out.fieldsCsv());
        assertThat(rows).extracting(r -> r.get("overlay"))
                .containsExactly("overlays/a.png", "overlays/b.png", "", "", "overlays/d.png");
        JsonNode doc = new ObjectMapper().readTree(out.json());
        assertThat(doc.get("fields").get(0).get("overlay").asText()).isEqualTo("overlays/a.png");
        assertThat(doc.get("fields").get(2).has("overlay")).isFalse();
    }

    @Test
    void wilsonIntervalIsTheOneFieldResultGives() {
        assertThat(run.files().get(0).result().parasitemia()).isEqualTo(ConfidenceIntervals.wilson(2, 8));
    }

    private static void assertPercent(Map<String, String> row, Estimate e) {
        assertThat(Double.parseDouble(row.get("parasitemia_pct"))).isCloseTo(100 * e.value(), within(1e-4));
        assertThat(Double.parseDouble(row.get("ci_low_pct"))).isCloseTo(100 * e.lo(), within(1e-4));
        assertThat(Double.parseDouble(row.get("ci_high_pct"))).isCloseTo(100 * e.hi(), within(1e-4));
    }

    private static void assertJsonPercent(JsonNode o, Estimate e) {
        if (!e.isDefined()) {
            assertThat(o.get("parasitemia_pct").isNull()).isTrue();
            assertThat(o.get("parasitemia_ci_pct").isNull()).isTrue();
            return;
        }
        assertThat(o.get("parasitemia_pct").asDouble()).isCloseTo(100 * e.value(), within(1e-9));
        assertThat(o.get("parasitemia_ci_pct").get(0).asDouble()).isCloseTo(100 * e.lo(), within(1e-9));
        assertThat(o.get("parasitemia_ci_pct").get(1).asDouble()).isCloseTo(100 * e.hi(), within(1e-9));
    }
}
