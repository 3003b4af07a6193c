package org.smearscan.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smearscan.data.ImageDecoding;
import org.smearscan.field.CellCall;
import org.smearscan.field.FieldResult;
import org.smearscan.field.FieldScreener;
import org.smearscan.field.SlideResult;
import org.smearscan.inference.CellClassifier;
import org.smearscan.stats.Estimate;
import org.smearscan.testing.SyntheticFields;
import org.smearscan.testing.TestModels;

/**
 * {@code smearscan screen} on generated fields: two slide folders, an unreadable file and an image too small to
 * be a field. The test model calls cells arbitrarily, so these tests check that every output carries the
 * screener's numbers and every input, not that the calls are right.
 */
class ScreenCommandTest {
    @TempDir
    static Path tmp;

    private static Path fields;
    private static Path broken;
    private static Path tiny;
    /** What FieldScreener itself makes of each readable field, by path. */
    private static final Map<String, FieldResult> expected = new LinkedHashMap<>();

    @BeforeAll
    static void fields() throws Exception {
        fields = tmp.resolve("fields");
        SyntheticFields.write(fields.resolve("slideA/f1.png"), 1, 640, 480);
        SyntheticFields.write(fields.resolve("slideA/f2.png"), 2, 640, 480);
        SyntheticFields.write(fields.resolve("slideB/f3.png"), 3, 640, 480);
        broken = Files.writeString(fields.resolve("slideB/broken.png"), "this is not a png");
        tiny = fields.resolve("slideB/tiny.png");
        ImageIO.write(SyntheticFields.gridField(4, 64, 64).image(), "png", tiny.toFile());
        Files.writeString(fields.resolve("slideB/notes.txt"), "skipped: not an image name");
        try (CellClassifier classifier = CellClassifier.load(TestModels.trained())) {
            FieldScreener screener = FieldScreener.of(classifier);
            for (String name : List.of("slideA/f1.png", "slideA/f2.png", "slideB/f3.png")) {
                Path file = fields.resolve(name);
                expected.put(file.toString(), screener.screen(file.toString(), ImageDecoding.read(file)));
            }
        }
    }

    @Test
    void tableListsEachFieldWithTheScreenersCountsAndEachProblemWithItsReason() {
        CliRun r = CliRun.run("screen", TestModels.trained().toString(), fields.toString());
        assertThat(r.code()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).startsWith("FIELD").contains("CELLS", "INFECTED", "PARASITEMIA", "95% CI", "NOT A CELL")
                .doesNotContain("SLIDE");
        assertThat(lines).hasSize(1 + 5).noneMatch(l -> l.contains("notes.txt"));
        expected.forEach((file, result) -> {
            String line = lines.stream().filter(l -> l.startsWith(file + " ")).findFirst().orElseThrow();
            List<String> cols = List.of(line.substring(file.length()).trim().split("\\s{2,}"));
            assertThat(cols.get(0)).isEqualTo(Integer.toString(result.countedCells()));
            assertThat(cols.get(1)).isEqualTo(Integer.toString(result.infectedCells()));
            assertThat(cols.get(2)).isEqualTo(percent(result.parasitemia().value()));
            assertThat(cols.get(3)).isEqualTo(String.format(Locale.ROOT, "[%.2f, %.2f]",
                    100 * result.parasitemia().lo(), 100 * result.parasitemia().hi()));
            assertThat(cols.get(4)).isEqualTo(Integer.toString(result.notACell()));
        });
        assertThat(r.out()).containsPattern(Pattern.quote(broken.toString()) + " +ERROR: " + Pattern.quote(broken.toString())
                + " is not an image");
        assertThat(r.out()).containsPattern(Pattern.quote(tiny.toString()) + " +ERROR: .*64 x 64 pixels is not a smear field");
        assertThat(r.err()).contains("screen: 5 images, 3 screened, 2 not screened; 5 slides")
                .contains("[1/5]");
    }

    @Test
    void csvCarriesTheScreenersNumbers() {
        CliRun r = CliRun.run("screen", TestModels.trained().toString(), fields.toString(), "--format", "csv");
        assertThat(r.code()).as(r.err()).isZero();
        List<String> rows = r.out().lines().toList();
        assertThat(rows.get(0)).isEqualTo("field,slide,width,height,cells,infected,parasitemia_pct,ci_low_pct,"
                + "ci_high_pct,not_a_cell,cut,seconds,error");
        assertThat(rows).hasSize(1 + 5);
        for (String row : rows.subList(1, rows.size())) {
            String[] c = row.split(",", -1);
            FieldResult result = expected.get(c[0]);
            if (result == null) { // the error, quoted for its commas
                assertThat(c[0]).isIn(broken.toString(), tiny.toString());
                assertThat(row).containsAnyOf("is not an image", "is not a smear field");
                continue;
            }
            assertThat(c[1]).isEqualTo(c[0]); // each field its own slide
            assertThat(c[2] + "x" + c[3]).isEqualTo("640x480");
            assertThat(Integer.parseInt(c[4])).isEqualTo(result.countedCells());
            assertThat(Integer.parseInt(c[5])).isEqualTo(result.infectedCells());
            assertThat(Double.parseDouble(c[6])).isCloseTo(100 * result.parasitemia().value(), within(1e-4));
            assertThat(Double.parseDouble(c[7])).isCloseTo(100 * result.parasitemia().lo(), within(1e-4));
            assertThat(Double.parseDouble(c[8])).isCloseTo(100 * result.parasitemia().hi(), within(1e-4));
            assertThat(Integer.parseInt(c[9])).isEqualTo(result.notACell());
            assertThat(Integer.parseInt(c[10])).isEqualTo((int) result.cells().stream().filter(CellCall::cut).count());
            assertThat(c[12]).isEmpty();
        }
    }

    @Test
    void jsonIsTheOnlyThingOnStdoutAndSlidesFromFoldersSumTheirFields() throws IOException {
        CliRun r = CliRun.run("screen", TestModels.trained().toString(), fields.toString(), "--format", "json",
                "--slide-from-folder");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode doc = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(r.out());
        assertThat(doc.get("slides_by").asText()).isEqualTo("folder");
        assertThat(doc.get("fields")).hasSize(5);
        for (JsonNode f : doc.get("fields")) {
            FieldResult result = expected.get(f.get("field").asText());
            if (result == null) {
                assertThat(f.get("error").asText()).isNotBlank();
                continue;
            }
            assertThat(f.get("cells").asInt()).isEqualTo(result.countedCells());
            assertThat(f.get("infected").asInt()).isEqualTo(result.infectedCells());
            assertThat(f.get("not_a_cell").asInt()).isEqualTo(result.notACell());
            assertPercent(f, result.parasitemia());
        }
        JsonNode slides = doc.get("slides");
        assertThat(slides).hasSize(2);
        assertThat(slides.get(0).get("slide").asText()).isEqualTo("slideA");
        assertThat(slides.get(1).get("slide").asText()).isEqualTo("slideB");
        FieldResult f1 = expected.get(fields.resolve("slideA/f1.png").toString());
        FieldResult f2 = expected.get(fields.resolve("slideA/f2.png").toString());
        FieldResult f3 = expected.get(fields.resolve("slideB/f3.png").toString());
        JsonNode a = slides.get(0);
        assertThat(a.get("fields").asInt()).isEqualTo(2);
        assertThat(a.get("not_screened").asInt()).isZero();
        assertThat(a.get("cells").asInt()).isEqualTo(f1.countedCells() + f2.countedCells());
        assertThat(a.get("infected").asInt()).isEqualTo(f1.infectedCells() + f2.infectedCells());
        assertPercent(a, new SlideResult("slideA", List.of(f1, f2)).parasitemia());
        JsonNode b = slides.get(1);
        assertThat(b.get("fields").asInt()).isEqualTo(1);
        assertThat(b.get("not_screened").asInt()).isEqualTo(2);
        assertThat(b.get("cells").asInt()).isEqualTo(f3.countedCells());

        CliRun table = CliRun.run("screen", TestModels.trained().toString(), fields.toString(), "--slide-from-folder");
        assertThat(table.out()).contains("\n\nSLIDE");
        assertThat(table.out().lines()).anySatisfy(l -> assertThat(l).startsWith("slideA ")
                .contains(" " + (f1.countedCells() + f2.countedCells()) + " "));
    }

    @Test
    void outWritesTablesOverlaysGalleryAndReport() throws IOException {
        Path out = tmp.resolve("out");
        CliRun r = CliRun.run("screen", TestModels.trained().toString(), fields.toString(), "--slide-from-folder",
                "--out", out.toString(), "--format", "json");
        assertThat(r.code()).as(r.err()).isZero();
        for (String name : List.of("fields.csv", "slides.csv", "cells.csv", "screen.json", "report.html",
                "overlays/f1.png", "overlays/f2.png", "overlays/f3.png")) {
            assertThat(out.resolve(name)).isNotEmptyFile();
        }
        assertThat(Files.readString(out.resolve("screen.json"))).isEqualTo(r.out());
        assertThat(r.err()).contains("report in " + out.resolve("report.html").toAbsolutePath());

        // each overlay has its field's size and differs from it on the cells' outlines
        Path f1 = fields.resolve("slideA/f1.png");
        BufferedImage field = ImageIO.read(f1.toFile());
        BufferedImage overlay = ImageIO.read(out.resolve("overlays/f1.png").toFile());
        assertThat(overlay.getWidth()).isEqualTo(field.getWidth());
        assertThat(overlay.getHeight()).isEqualTo(field.getHeight());
        for (CellCall c : expected.get(f1.toString()).cells()) {
            int x = (int) Math.round(c.centerX() - c.radius());
            int y = (int) Math.round(c.centerY());
            assertThat(overlay.getRGB(x, y)).as("outline at %d,%d", x, y).isNotEqualTo(field.getRGB(x, y));
        }

        // cells.csv: every cell of every screened field, the calls summing to the counts
        List<String> cells = Files.readAllLines(out.resolve("cells.csv"));
        assertThat(cells.get(0)).isEqualTo("field,x,y,w,h,probability,call");
        assertThat(cells).hasSize(1 + expected.values().stream().mapToInt(f -> f.cells().size()).sum());
        int infected = expected.values().stream().mapToInt(FieldResult::infectedCells).sum();
        assertThat(cells.stream().filter(l -> l.endsWith(",infected")).count()).isEqualTo(infected);
        assertThat(Files.readAllLines(out.resolve("fields.csv")).get(0)).contains(",overlay,error");

        // the gallery: a crop per infected cell, in the report most probable first
        assertThat(infected).as("the test model calls some generated cells infected").isPositive();
        try (Stream<Path> gallery = Files.list(out.resolve("gallery"))) {
            assertThat(gallery.count()).isEqualTo(infected);
        }
        String html = Files.readString(out.resolve("report.html"));
        assertThat(html).contains("<h2>slideA</h2>", "<h2>slideB</h2>", "<h2>Not screened</h2>",
                "<a href=\"overlays/f1.png\">", broken + " is not an image");
        List<Double> shown = new ArrayList<>();
        for (String slide : List.of("slide-1", "slide-2")) {
            int start = html.indexOf("id=\"" + slide + "\"");
            String section = html.substring(start, html.indexOf("</section>", start));
            List<Double> p = probabilities(section);
            assertThat(p).isSortedAccordingTo((x, y) -> Double.compare(y, x));
            shown.addAll(p);
            Matcher img = Pattern.compile("<img src=\"(gallery/[^\"]+)\"").matcher(section);
            while (img.find()) {
                assertThat(out.resolve(img.group(1))).isNotEmptyFile();
            }
        }
        assertThat(shown).hasSize(infected);

        // a second screen into the same folder is refused before any work
        CliRun again = CliRun.run("screen", TestModels.trained().toString(), fields.toString(), "--out", out.toString());
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).contains("is not empty");
    }

    @Test
    void warnsWhenTheModelRefusesManyOfTheCellsFound() {
        // the test model's out-of-distribution score was fitted on generated single cells on black, not on field crops
        CliRun r = CliRun.run("screen", TestModels.trainedWithOod().toString(), fields.toString(), "--format", "csv");
        CliRun plain = CliRun.run("screen", TestModels.trained().toString(), fields.toString(), "--format", "csv");

        assertThat(r.code()).isZero();
        assertThat(r.err()).containsPattern("warning: \\d+% of these cells found in the fields \\(\\d+ of \\d+\\) are unlike");
        assertThat(plain.err()).doesNotContain("warning:");
    }

    @Test
    void exitCodes() throws IOException {
        CliRun strict = CliRun.run("screen", TestModels.trained().toString(), fields.toString(), "--fail-on-error",
                "--format", "csv");
        assertThat(strict.code()).isEqualTo(1);
        assertThat(strict.out().lines()).hasSize(6);

        CliRun nothing = CliRun.run("screen", TestModels.trained().toString(), broken.toString(), tiny.toString());
        assertThat(nothing.code()).isEqualTo(1);
        assertThat(nothing.out()).contains("is not an image").contains("is not a smear field");
        assertThat(nothing.err()).contains("no field could be screened");

        CliRun none = CliRun.run("screen", TestModels.trained().toString(), tmp + "/none/*.png");
        assertThat(none.code()).isEqualTo(1);
        assertThat(none.err()).contains("no images found in");

        CliRun badFormat = CliRun.run("screen", TestModels.trained().toString(), fields.toString(), "--format", "xml");
        assertThat(badFormat.code()).isEqualTo(1);
        assertThat(badFormat.err()).contains("unknown format 'xml'");

        CliRun help = CliRun.run("screen", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("Usage: smearscan screen", "--slide-from-folder", "--out=DIR", "95%");
    }

    private static String percent(double share) {
        return Double.isNaN(share) ? "n/a" : String.format(Locale.ROOT, "%.2f%%", 100 * share);
    }

    private static void assertPercent(JsonNode o, Estimate e) {
        if (!e.isDefined()) {
            assertThat(o.get("parasitemia_pct").isNull()).isTrue();
            return;
        }
        assertThat(o.get("parasitemia_pct").asDouble()).isCloseTo(100 * e.value(), within(1e-9));
        assertThat(o.get("parasitemia_ci_pct").get(0).asDouble()).isCloseTo(100 * e.lo(), within(1e-9));
        assertThat(o.get("parasitemia_ci_pct").get(1).asDouble()).isCloseTo(100 * e.hi(), within(1e-9));
    }

    private static List<Double> probabilities(String html) {
        List<Double> out = new ArrayList<>();
        Matcher m = Pattern.compile("data-probability=\"([0-9.]+)\"").matcher(html);
        while (m.find()) {
            out.add(Double.parseDouble(m.group(1)));
        }
        return out;
    }
}
