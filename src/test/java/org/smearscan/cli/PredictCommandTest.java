package org.smearscan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smearscan.deploy.TestModels;
import org.smearscan.testing.SyntheticCells;

class PredictCommandTest {
    @TempDir
    Path tmp;

    private Path cells;
    private Path broken;

    /** Runs the CLI, capturing stdout and stderr: {exit code, stdout, stderr}. */
    static String[] run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.execute(args);
            return new String[] {String.valueOf(code), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @BeforeEach
    void images() throws IOException {
        cells = SyntheticCells.writeDataset(tmp.resolve("cells"), 3, 11);
        broken = Files.writeString(cells.resolve("Parasitized/broken.png"), "this is not a png");
        Files.writeString(cells.resolve("Uninfected/notes.txt"), "skipped: not an image name");
    }

    private List<Path> pngs() throws IOException {
        try (Stream<Path> walk = Files.walk(cells)) {
            return walk.filter(p -> p.toString().endsWith(".png")).sorted().toList();
        }
    }

    @Test
    void folderIsClassifiedAndAnUnreadableFileIsListedNotFatal() throws IOException {
        String[] r = run("predict", TestModels.trained().toString(), cells.toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        String[] lines = r[1].split("\n");
        assertThat(lines[0]).startsWith("FILE").contains("LABEL", "PROB", "P(PARASITIZED)");
        assertThat(lines).hasSize(1 + pngs().size());
        assertThat(r[1]).containsPattern(Pattern.quote(broken.toString()) + " +ERROR: " + Pattern.quote(broken.toString())
                + " is not an image");
        assertThat(r[1]).doesNotContain("notes.txt");
        long calls = Arrays.stream(lines).filter(l -> l.contains("Parasitized ") || l.contains("Uninfected ")).count();
        assertThat(calls).isEqualTo(pngs().size() - 1);
        assertThat(r[2]).contains("predict: 7 images").contains("1 not readable");
    }

    @Test
    void csvAndJsonCarryEveryFileInOrder() throws IOException {
        String[] csv = run("predict", TestModels.trained().toString(), cells.toString(), "--format", "csv", "--bs", "2");
        assertThat(csv[0]).as(csv[2]).isEqualTo("0");
        List<String> rows = csv[1].lines().toList();
        assertThat(rows.get(0)).isEqualTo("file,label,probability,parasitized_probability,threshold,model_id,tta,error");
        assertThat(rows.subList(1, rows.size())).extracting(l -> l.split(",")[0])
                .containsExactlyElementsOf(pngs().stream().map(Path::toString).toList());
        assertThat(rows).anyMatch(l -> l.startsWith(broken + ",,,,,,,") && l.contains("not an image"));

        String[] json = run("predict", TestModels.trained().toString(), cells.toString(), "--format", "json", "--tta");
        assertThat(json[0]).as(json[2]).isEqualTo("0");
        JsonNode array = new ObjectMapper().readTree(json[1]);
        assertThat(array).hasSize(pngs().size());
        for (JsonNode o : array) {
            if (o.get("file").asText().equals(broken.toString())) {
                assertThat(o.get("error").asText()).contains("not an image");
                assertThat(o.has("label")).isFalse();
            } else {
                assertThat(o.get("label").asText()).isIn("Parasitized", "Uninfected");
                assertThat(o.get("tta").asBoolean()).isTrue();
                assertThat(o.get("probabilities").size()).isEqualTo(2);
            }
        }
    }

    @Test
    void quotedGlobsAreExpandedAndFilesTakenAsGiven() throws IOException {
        Path single = pngs().get(0);
        String[] r = run("predict", TestModels.trained().toString(), cells + "/Uninfected/*.png", single.toString(),
                "--format", "csv");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        List<String> files = r[1].lines().skip(1).map(l -> l.split(",")[0]).toList();
        assertThat(files).hasSize(4).contains(single.toString())
                .filteredOn(f -> f.contains("/Uninfected/")).hasSize(3);
    }

    @Test
    void heatmapsAreWrittenPerImage() throws IOException {
        Path dir = tmp.resolve("heat");
        String[] r = run("predict", TestModels.trained().toString(), cells.resolve("Parasitized").toString(),
                "--heatmap", dir.toString(), "--format", "csv");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList()).hasSize(3)
                    .allMatch(n -> n.endsWith(".gradcam.png"));
        }
        Path first = pngs().stream().filter(p -> p.toString().contains("Parasitized") && !p.equals(broken)).findFirst().orElseThrow();
        String stem = first.getFileName().toString().replace(".png", "");
        BufferedImage original = ImageIO.read(first.toFile());
        BufferedImage heat = ImageIO.read(dir.resolve(stem + ".gradcam.png").toFile());
        assertThat(heat.getWidth()).isEqualTo(original.getWidth());
        assertThat(heat.getHeight()).isEqualTo(original.getHeight());
        assertThat(r[1].lines().findFirst().orElseThrow()).contains("heatmap");
        assertThat(r[1]).contains(dir.resolve(stem + ".gradcam.png").toString());
    }

    @Test
    void exitCodesForFailuresTheUserMustSee() throws IOException {
        String[] strict = run("predict", TestModels.trained().toString(), cells.toString(), "--fail-on-error");
        assertThat(strict[0]).isEqualTo("1");

        String[] nothing = run("predict", TestModels.trained().toString(), tmp + "/none/*.png");
        assertThat(nothing[0]).isEqualTo("1");
        assertThat(nothing[2]).contains("no images found in " + tmp + "/none/*.png");

        Path bad = Files.writeString(tmp.resolve("bad.smear"), "nope");
        String[] badModel = run("predict", bad.toString(), cells.toString());
        assertThat(badModel[0]).isEqualTo("1");
        assertThat(badModel[2]).contains("smearscan: error: " + bad + ": not a");

        String[] badFormat = run("predict", TestModels.trained().toString(), cells.toString(), "--format", "xml");
        assertThat(badFormat[0]).isEqualTo("1");
        assertThat(badFormat[2]).contains("unknown format 'xml'");
    }
}
