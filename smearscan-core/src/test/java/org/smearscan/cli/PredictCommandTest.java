package org.smearscan.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
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
import org.smearscan.testing.SyntheticCells;
import org.smearscan.testing.TestModels;

class PredictCommandTest {
    @TempDir
    Path tmp;

    private Path cells;
    private Path broken;

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
        CliRun r = CliRun.run("predict", TestModels.trained().toString(), cells.toString());
        assertThat(r.code()).as(r.err()).isZero();
        String[] lines = r.out().split("\n");
        assertThat(lines[0]).startsWith("FILE").contains("LABEL", "PROB", "P(PARASITIZED)");
        assertThat(lines).hasSize(1 + pngs().size());
        assertThat(r.out()).containsPattern(Pattern.quote(broken.toString()) + " +ERROR: " + Pattern.quote(broken.toString())
                + " is not an image");
        assertThat(r.out()).doesNotContain("notes.txt");
        long calls = Arrays.stream(lines).filter(l -> l.contains("Parasitized ") || l.contains("Uninfected ")).count();
        assertThat(calls).isEqualTo(pngs().size() - 1);
        assertThat(r.err()).contains("predict: 7 images").contains("1 not readable");
    }

    @Test
    void onnxRuntimeMakesTheSameCallsFromTheModelOrItsOnnxExport() throws IOException {
        CliRun pytorch = CliRun.run("predict", TestModels.trained().toString(), cells.toString(), "--format", "csv");
        assertThat(pytorch.code()).as(pytorch.err()).isZero();
        Path onnx = tmp.resolve("model.onnx");
        assertThat(CliRun.run("export", TestModels.trained().toString(), "--format", "onnx", "--out", onnx.toString())
                .code()).isZero();
        for (Path model : List.of(TestModels.trained(), onnx)) {
            CliRun ort = CliRun.run("predict", model.toString(), cells.toString(), "--format", "csv",
                    "--engine", "onnxruntime");
            assertThat(ort.code()).as(ort.err()).isZero();
            assertThat(ort.err()).contains("onnxruntime");
            List<String> expected = pytorch.out().lines().toList();
            List<String> actual = ort.out().lines().toList();
            assertThat(actual).hasSameSizeAs(expected);
            for (int i = 1; i < expected.size(); i++) {
                String[] e = expected.get(i).split(",", -1);
                String[] a = actual.get(i).split(",", -1);
                assertThat(a[0]).isEqualTo(e[0]); // file
                assertThat(a[1]).as(e[0]).isEqualTo(e[1]); // label
                assertThat(a[5]).isEqualTo(e[5]); // model id
                if (!e[3].isEmpty()) {
                    assertThat(Double.parseDouble(a[3])).as(e[0]).isCloseTo(Double.parseDouble(e[3]),
                            org.assertj.core.api.Assertions.within(1e-4));
                }
            }
        }
    }

    @Test
    void heatmapsOnOnnxRuntimeAreAUsageError() {
        CliRun r = CliRun.run("predict", TestModels.trained().toString(), cells.toString(), "--engine", "onnxruntime",
                "--heatmap", tmp.resolve("maps").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Grad-CAM").contains("--engine pytorch");
        assertThat(tmp.resolve("maps")).doesNotExist();
        CliRun unknown = CliRun.run("predict", TestModels.trained().toString(), cells.toString(), "--engine", "tvm");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("pytorch").contains("onnxruntime");
    }

    @Test
    void csvAndJsonCarryEveryFileInOrder() throws IOException {
        CliRun csv = CliRun.run("predict", TestModels.trained().toString(), cells.toString(), "--format", "csv", "--bs", "2");
        assertThat(csv.code()).as(csv.err()).isZero();
        List<String> rows = csv.out().lines().toList();
        assertThat(rows.get(0)).isEqualTo("file,label,probability,parasitized_probability,threshold,model_id,tta,ood_score,status,error");
        assertThat(rows.subList(1, rows.size())).extracting(l -> l.split(",")[0])
                .containsExactlyElementsOf(pngs().stream().map(Path::toString).toList());
        assertThat(rows).anyMatch(l -> l.startsWith(broken + ",,,,,,,,,") && l.contains("not an image"));

        CliRun json = CliRun.run("predict", TestModels.trained().toString(), cells.toString(), "--format", "json", "--tta");
        assertThat(json.code()).as(json.err()).isZero();
        JsonNode array = new ObjectMapper().readTree(json.out());
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
        CliRun r = CliRun.run("predict", TestModels.trained().toString(), cells + "/Uninfected/*.png", single.toString(),
                "--format", "csv");
        assertThat(r.code()).as(r.err()).isZero();
        List<String> files = r.out().lines().skip(1).map(l -> l.split(",")[0]).toList();
        assertThat(files).hasSize(4).contains(single.toString())
                .filteredOn(f -> f.contains("/Uninfected/")).hasSize(3);
    }

    @Test
    void heatmapsAreWrittenPerImage() throws IOException {
        Path dir = tmp.resolve("heat");
        CliRun r = CliRun.run("predict", TestModels.trained().toString(), cells.resolve("Parasitized").toString(),
                "--heatmap", dir.toString(), "--format", "csv");
        assertThat(r.code()).as(r.err()).isZero();
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
        assertThat(r.out().lines().findFirst().orElseThrow()).contains("heatmap");
        assertThat(r.out()).contains(dir.resolve(stem + ".gradcam.png").toString());
    }

    @Test
    void exitCodesForFailuresTheUserMustSee() throws IOException {
        CliRun strict = CliRun.run("predict", TestModels.trained().toString(), cells.toString(), "--fail-on-error");
        assertThat(strict.code()).isEqualTo(1);

        CliRun nothing = CliRun.run("predict", TestModels.trained().toString(), tmp + "/none/*.png");
        assertThat(nothing.code()).isEqualTo(1);
        assertThat(nothing.err()).contains("no images found in " + tmp + "/none/*.png");

        Path bad = Files.writeString(tmp.resolve("bad.smear"), "nope");
        CliRun badModel = CliRun.run("predict", bad.toString(), cells.toString());
        assertThat(badModel.code()).isEqualTo(1);
        assertThat(badModel.err()).contains("smearscan: error: " + bad + ": not a");

        CliRun badFormat = CliRun.run("predict", TestModels.trained().toString(), cells.toString(), "--format", "xml");
        assertThat(badFormat.code()).isEqualTo(1);
        assertThat(badFormat.err()).contains("unknown format 'xml'");
    }

    @Test
    void linkedImagesAreClassifiedUnderTheirOwnNamesAndADanglingOneIsListed() throws IOException {
        Path linked = tmp.resolve("linked");
        try {
            Files.createDirectories(linked);
            Files.createSymbolicLink(linked.resolve("folder"), cells.resolve("Uninfected"));
            Files.createSymbolicLink(linked.resolve("one.png"), pngs().get(0));
            Files.createSymbolicLink(linked.resolve("gone.png"), tmp.resolve("deleted.png"));
        } catch (UnsupportedOperationException | IOException e) {
            assumeTrue(false, "symbolic links cannot be made here: " + e);
        }
        CliRun r = CliRun.run("predict", TestModels.trained().toString(), linked.toString(), "--format", "csv");
        assertThat(r.code()).as(r.err()).isZero();
        List<String> rows = r.out().lines().skip(1).toList();
        assertThat(rows).hasSize(5); // 3 cells through the folder link, one file link, one dangling link
        assertThat(rows).filteredOn(l -> l.startsWith(linked + "/folder/")).hasSize(3)
                .allSatisfy(l -> assertThat(l).containsPattern(",(Parasitized|Uninfected),"));
        assertThat(rows).anySatisfy(l -> assertThat(l).startsWith(linked.resolve("one.png") + ",")
                .containsPattern(",(Parasitized|Uninfected),"));
        assertThat(rows).anySatisfy(l -> assertThat(l).startsWith(linked.resolve("gone.png") + ",")
                .contains("is a broken symbolic link (its target does not exist)"));
        assertThat(r.err()).contains("1 not readable");
    }
}
