package org.smearscan.modelfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smearscan.inference.CellClassifier;
import org.smearscan.inference.Prediction;
import org.smearscan.model.Architecture;
import org.smearscan.model.HeadType;
import org.smearscan.model.ModelSpec;
import org.smearscan.testing.TestModels;

class ModelFileTest {
    @TempDir
    Path tmp;

    @Test
    void roundTripGivesIdenticalPredictionsAndKeepsTheId() throws IOException {
        Path copy = TestModels.rewrite(tmp.resolve("copy.smear"), TestModels.info());
        List<BufferedImage> images = TestModels.cells(5, 6, true);
        images.addAll(TestModels.cells(6, 6, false));
        try (CellClassifier original = CellClassifier.load(TestModels.trained());
                CellClassifier reloaded = CellClassifier.load(copy)) {
            List<Prediction> a = original.predictAll(images);
            List<Prediction> b = reloaded.predictAll(images);
            assertThat(b).isEqualTo(a);
            assertThat(reloaded.modelId()).isEqualTo(original.modelId()).hasSize(ModelFile.ID_LENGTH);
            assertThat(reloaded.info()).usingRecursiveComparison()
                    .withEqualsForType(Double::equals, Double.class).isEqualTo(original.info());
        }
    }

    @Test
    void descriptionSurvivesIncludingNaNMetricsAndSoftwareVersions() throws IOException {
        ModelFile.Described d = ModelFile.verify(TestModels.trained());
        assertThat(d.info().metrics().get("precision")).isNaN();
        assertThat(d.info().metrics().get("accuracy")).isEqualTo(1.0);
        assertThat(d.info().provenance().other()).containsEntry("split.sha256", "0123abcd");
        assertThat(d.info().provenance().seed()).isEqualTo(7L);
        assertThat(d.info().provenance().software())
                .containsKeys("smearscan.version", "djl.version", "pytorch.version", "java.version");
        assertThat(d.info().provenance().software().get("djl.version")).isEqualTo("0.36.0");
        assertThat(d.id()).isEqualTo(d.sha256().substring(0, 12));
    }

    @Test
    void truncatedFileIsRefusedNamingIt() throws IOException {
        byte[] bytes = Files.readAllBytes(TestModels.trained());
        for (int keep : new int[] {bytes.length / 2, bytes.length - 30, 10}) {
            Path cut = tmp.resolve("cut-" + keep + ".smear");
            Files.write(cut, Arrays.copyOf(bytes, keep));
            assertInvalid(cut, "");
        }
    }

    @Test
    void flippedByteAnywhereInTheWeightsIsRefused() throws IOException {
        byte[] bytes = Files.readAllBytes(TestModels.trained());
        Path damaged = tmp.resolve("flipped.smear");
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(damaged, bytes);
        assertInvalid(damaged, "");

        // the same damage inside a well-formed zip: only the checksum can catch it
        Path tampered = rezip(tmp.resolve("tampered.smear"), entries -> {
            byte[] w = entries.get(ModelFile.WEIGHTS_ENTRY).clone();
            w[w.length - 7] ^= 0x01;
            entries.put(ModelFile.WEIGHTS_ENTRY, w);
            return entries;
        }, false);
        assertInvalid(tampered, "checksum mismatch");
    }

    @Test
    void editedModelJsonIsRefused() throws IOException {
        Path edited = rezip(tmp.resolve("edited.smear"), entries -> {
            String json = new String(entries.get(ModelFile.INFO_ENTRY), StandardCharsets.UTF_8);
            assertThat(json).contains("\"threshold\" : 0.5");
            entries.put(ModelFile.INFO_ENTRY, json.replace("\"threshold\" : 0.5", "\"threshold\" : 0.05")
                    .getBytes(StandardCharsets.UTF_8));
            return entries;
        }, false);
        assertInvalid(edited, "checksum mismatch");
    }

    @Test
    void newerFormatVersionIsRefusedWithAnUpgradeHint() throws IOException {
        int newerVersion = ModelFile.FORMAT_VERSION + 1;
        Path newer = rezip(tmp.resolve("newer.smear"), entries -> {
            entries.put(ModelFile.VERSION_ENTRY, Integer.toString(newerVersion).getBytes(StandardCharsets.UTF_8));
            return entries;
        }, false);
        assertInvalid(newer, "newer SmearScan (format " + newerVersion);
    }

    /** The graph is opaque to this package: any bytes stand for it here (OnnxRuntimeEngineTest runs real ones). */
    private static final byte[] GRAPH = "an ONNX graph, as far as ModelFile can tell".getBytes(StandardCharsets.UTF_8);

    private Path withGraph(Path target, byte[] graph) throws IOException {
        try (ai.djl.ndarray.NDManager manager = ai.djl.ndarray.NDManager.newBaseManager()) {
            ModelFile.Loaded loaded = ModelFile.read(TestModels.trained(), manager);
            ModelFile.Contents contents = ModelFile.contents(loaded.net(), loaded.info());
            ModelFile.write(target, contents, java.util.Optional.of(graph));
        }
        return target;
    }

    @Test
    void aStoredGraphRoundTripsUnderTheSameIdAndMakesTheFileFormat2() throws IOException {
        Path file = withGraph(tmp.resolve("graph.smear"), GRAPH);
        ModelFile.Described plain = ModelFile.verify(TestModels.trained());
        ModelFile.Described withGraph = ModelFile.verify(file);
        assertThat(plain.hasOnnxGraph()).isFalse();
        assertThat(withGraph.hasOnnxGraph()).isTrue();
        assertThat(withGraph.id()).isEqualTo(plain.id());
        ModelFile.StoredGraph stored = ModelFile.readOnnxGraph(file).orElseThrow();
        assertThat(stored.onnx()).isEqualTo(GRAPH);
        assertThat(stored.sha256()).isEqualTo(plain.sha256());
        assertThat(stored.info().classes()).isEqualTo(plain.info().classes());
        assertThat(ModelFile.readOnnxGraph(TestModels.trained())).isEmpty();

        Map<String, byte[]> entries = entries(file);
        assertThat(new String(entries.get(ModelFile.VERSION_ENTRY), StandardCharsets.UTF_8)).isEqualTo("2");
        assertThat(ModelFile.FORMAT_VERSION).isEqualTo(2);
        assertThat(entries.get(ModelFile.ONNX_CHECKSUM_ENTRY)).asString(StandardCharsets.UTF_8)
                .isEqualTo(ModelFile.sha256(entries.get(ModelFile.INFO_ENTRY), entries.get(ModelFile.WEIGHTS_ENTRY),
                        GRAPH));
        // a file without a graph is laid out as format 1 always was, so older SmearScans still read it
        Map<String, byte[]> plainEntries = entries(TestModels.trained());
        assertThat(plainEntries.keySet()).containsExactly(ModelFile.VERSION_ENTRY, ModelFile.INFO_ENTRY,
                ModelFile.WEIGHTS_ENTRY, ModelFile.CHECKSUM_ENTRY);
        assertThat(plainEntries.get(ModelFile.VERSION_ENTRY)).asString(StandardCharsets.UTF_8).isEqualTo("1");

        // the weights the PyTorch engine loads are the same either way
        List<BufferedImage> images = TestModels.cells(8, 4, true);
        try (CellClassifier a = CellClassifier.load(TestModels.trained()); CellClassifier b = CellClassifier.load(file)) {
            assertThat(b.predictAll(images)).isEqualTo(a.predictAll(images));
        }
        // a verified copy keeps it
        Path copy = tmp.resolve("copy.smear");
        assertThat(ModelFile.export(file, copy, false).hasOnnxGraph()).isTrue();
        assertThat(Files.readAllBytes(copy)).isEqualTo(Files.readAllBytes(file));
    }

    @Test
    void aTamperedGraphIsRefusedNamingTheFile() throws IOException {
        Path file = withGraph(tmp.resolve("graph.smear"), GRAPH);
        Path tampered = rezip(file, tmp.resolve("tampered-graph.smear"), entries -> {
            byte[] g = entries.get(ModelFile.ONNX_ENTRY).clone();
            g[g.length / 2] ^= 0x01;
            entries.put(ModelFile.ONNX_ENTRY, g);
            return entries;
        }, false);
        assertInvalid(tampered, "checksum mismatch in its ONNX graph (model.onnx)");
        assertThatThrownBy(() -> ModelFile.readOnnxGraph(tampered)).isInstanceOf(InvalidModelFileException.class)
                .hasMessageStartingWith(tampered.toString()).hasMessageContaining("checksum mismatch");
        assertThatThrownBy(() -> ModelFile.verify(tampered)).isInstanceOf(InvalidModelFileException.class);

        // the model's own checksum fixed up does not help: the graph's covers model.json and the weights too
        Path otherModel = rezip(file, tmp.resolve("edited-json.smear"), entries -> {
            String json = new String(entries.get(ModelFile.INFO_ENTRY), StandardCharsets.UTF_8);
            entries.put(ModelFile.INFO_ENTRY, json.replace("\"threshold\" : 0.5", "\"threshold\" : 0.05")
                    .getBytes(StandardCharsets.UTF_8));
            return entries;
        }, true);
        assertInvalid(otherModel, "checksum mismatch in its ONNX graph");
    }

    @Test
    void aGraphWithoutItsChecksumOrAFormat2FileWithoutItsGraphIsRefused() throws IOException {
        Path file = withGraph(tmp.resolve("graph.smear"), GRAPH);
        Path noChecksum = rezip(file, tmp.resolve("no-checksum.smear"), entries -> {
            entries.remove(ModelFile.ONNX_CHECKSUM_ENTRY);
            return entries;
        }, false);
        assertInvalid(noChecksum, "without its model.onnx.sha256");
        Path noGraph = rezip(file, tmp.resolve("no-graph.smear"), entries -> {
            entries.remove(ModelFile.ONNX_ENTRY);
            return entries;
        }, false);
        assertInvalid(noGraph, "lacks model.onnx");
        Path stripped = rezip(file, tmp.resolve("stripped.smear"), entries -> {
            entries.remove(ModelFile.ONNX_ENTRY);
            entries.remove(ModelFile.ONNX_CHECKSUM_ENTRY);
            return entries;
        }, false);
        assertInvalid(stripped, "lacks model.onnx, which a format 2 file holds");
        // a graph smuggled into a format 1 file is checked all the same
        Path smuggled = rezip(tmp.resolve("smuggled.smear"), entries -> {
            entries.put(ModelFile.ONNX_ENTRY, GRAPH);
            return entries;
        }, false);
        assertInvalid(smuggled, "without its model.onnx.sha256");
    }

    @Test
    void notAZipIsRefused() throws IOException {
        Path text = Files.writeString(tmp.resolve("notes.smear"), "these are not weights\n");
        assertInvalid(text, "not a");
        Path empty = Files.write(tmp.resolve("empty.smear"), new byte[0]);
        assertInvalid(empty, "not a");
    }

    @Test
    void missingFileAndFolderAreRefused() {
        assertInvalid(tmp.resolve("absent.smear"), "no such file");
        assertInvalid(tmp, "folder");
    }

    @Test
    void consistentChecksumDoesNotRescueAnImpossibleDescription() throws IOException {
        Path forged = rezip(tmp.resolve("forged.smear"), entries -> {
            String json = new String(entries.get(ModelFile.INFO_ENTRY), StandardCharsets.UTF_8);
            entries.put(ModelFile.INFO_ENTRY, json.replace("\"Uninfected\"", "\"Uninfected\", \"Other\"")
                    .getBytes(StandardCharsets.UTF_8));
            return entries;
        }, true);
        assertInvalid(forged, "not a valid model description");
    }

    @Test
    void weightsOfAnotherNetworkAreRefused() throws IOException {
        ModelInfo linear = new ModelInfo(new ModelSpec(Architecture.COMPACT, HeadType.LINEAR, 2),
                TestModels.CLASSES, 0, TestModels.SIZE, TestModels.info().resize(), TestModels.info().normalization(),
                0.5, 1.0, Map.of(), Provenance.NONE);
        Path linearFile = TestModels.untrained(tmp.resolve("linear.smear"), linear);
        byte[] fastaiJson = entries(TestModels.trained()).get(ModelFile.INFO_ENTRY);
        Path mixed = rezip(linearFile, tmp.resolve("mixed.smear"), entries -> {
            entries.put(ModelFile.INFO_ENTRY, fastaiJson);
            return entries;
        }, true);
        assertInvalid(mixed, "weights do not fit");
    }

    @Test
    void exportCopiesAVerifiedModelAndNeverOverwritesSilently() throws IOException {
        Path target = tmp.resolve("out/exported.smear");
        ModelFile.Described d = ModelFile.export(TestModels.trained(), target, false);
        assertThat(Files.readAllBytes(target)).isEqualTo(Files.readAllBytes(TestModels.trained()));
        assertThat(ModelFile.verify(target).id()).isEqualTo(d.id());
        assertThatThrownBy(() -> ModelFile.export(TestModels.trained(), target, false))
                .isInstanceOf(FileAlreadyExistsException.class);
        ModelFile.export(TestModels.trained(), target, true);

        Path damaged = tmp.resolve("damaged.smear");
        byte[] bytes = Files.readAllBytes(TestModels.trained());
        Files.write(damaged, Arrays.copyOf(bytes, bytes.length / 3));
        byte[] before = Files.readAllBytes(target);
        assertThatThrownBy(() -> ModelFile.export(damaged, target, true)).isInstanceOf(InvalidModelFileException.class);
        assertThat(Files.readAllBytes(target)).isEqualTo(before);
        try (var files = Files.list(target.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("exported.smear");
        }
    }

    private static void assertInvalid(Path file, String reason) {
        assertThatThrownBy(() -> CellClassifier.load(file))
                .isInstanceOf(InvalidModelFileException.class)
                .hasMessageStartingWith(file.toString())
                .hasMessageContaining(reason)
                .satisfies(e -> assertThat(((InvalidModelFileException) e).file()).isEqualTo(file));
    }

    private Path rezip(Path target, UnaryOperator<Map<String, byte[]>> edit, boolean fixChecksum) throws IOException {
        return rezip(TestModels.trained(), target, edit, fixChecksum);
    }

    /** Rewrites a model's zip with edited entries; a well-formed zip, so only the model checks can object. */
    private static Path rezip(Path source, Path target, UnaryOperator<Map<String, byte[]>> edit, boolean fixChecksum)
            throws IOException {
        Map<String, byte[]> entries = edit.apply(entries(source));
        if (fixChecksum) {
            entries.put(ModelFile.CHECKSUM_ENTRY, ModelFile.sha256(entries.get(ModelFile.INFO_ENTRY),
                    entries.get(ModelFile.WEIGHTS_ENTRY)).getBytes(StandardCharsets.UTF_8));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return Files.write(target, bytes.toByteArray());
    }

    private static Map<String, byte[]> entries(Path file) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(file); ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                entries.put(e.getName(), zip.readAllBytes());
            }
        }
        return entries;
    }
}
