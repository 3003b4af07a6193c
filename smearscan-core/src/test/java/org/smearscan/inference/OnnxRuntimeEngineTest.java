package org.smearscan.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.smearscan.data.Normalization;
import org.smearscan.data.ResizeMethod;
import org.smearscan.model.Architecture;
import org.smearscan.model.HeadType;
import org.smearscan.model.ModelSpec;
import org.smearscan.modelfile.InvalidModelFileException;
import org.smearscan.modelfile.ModelFile;
import org.smearscan.modelfile.ModelInfo;
import org.smearscan.onnx.EmbeddedGraph;
import org.smearscan.onnx.OnnxExport;
import org.smearscan.testing.TestModels;

/** ONNX Runtime against PyTorch on the same models: same logits, probabilities and calls. */
class OnnxRuntimeEngineTest {
    private static final double PROBABILITY_TOLERANCE = 1e-4;

    @TempDir
    Path tmp;

    /** Every architecture that train makes, with its fastai head, at 32 px; batch norms with trained-like statistics. */
    @ParameterizedTest
    @ValueSource(strings = {"compact", "compact-slim", "resnet18", "resnet34"})
    void onnxRuntimeAgreesWithPyTorchOnEveryArchitecture(String arch) throws IOException {
        ModelInfo info = new ModelInfo(new ModelSpec(Architecture.parse(arch), HeadType.FASTAI, 2), TestModels.CLASSES,
                0, 32, ResizeMethod.SQUISH, Normalization.IMAGENET, 0.5, 1.5, Map.of(), null);
        Path smear = TestModels.untrainedWithBatchNormStatistics(tmp.resolve(arch + ".smear"), info, 11);
        Path onnx = tmp.resolve(arch + ".onnx");
        OnnxExport.write(smear, onnx, false);
        Path withGraph = tmp.resolve(arch + "-with-graph.smear");
        assertThat(EmbeddedGraph.export(smear, withGraph, false).hasOnnxGraph()).isTrue();
        List<BufferedImage> images = TestModels.cells(5, 10, true);
        images.addAll(TestModels.cells(6, 10, false));

        try (CellClassifier pytorch = CellClassifier.load(smear);
                CellClassifier fromOnnx = CellClassifier.load(onnx, EngineKind.ONNXRUNTIME);
                CellClassifier fromSmear = CellClassifier.load(smear, EngineKind.ONNXRUNTIME);
                CellClassifier fromStoredGraph = CellClassifier.load(withGraph, EngineKind.ONNXRUNTIME)) {
            assertThat(pytorch.engine()).isEqualTo(EngineKind.PYTORCH);
            assertThat(fromOnnx.engine()).isEqualTo(EngineKind.ONNXRUNTIME);
            assertSameLogits(arch, pytorch, fromOnnx, images);
            assertSameLogits(arch, pytorch, fromSmear, images);
            assertSameLogits(arch + " stored graph", pytorch, fromStoredGraph, images);
            assertSamePredictions(arch, pytorch.predictAll(images), fromOnnx.predictAll(images));
            assertSamePredictions(arch, pytorch.predictAll(images), fromSmear.predictAll(images));
            assertSamePredictions(arch + " stored graph", pytorch.predictAll(images), fromStoredGraph.predictAll(images));
            assertThat(fromOnnx.modelId()).isEqualTo(pytorch.modelId());
            assertThat(fromStoredGraph.modelId()).isEqualTo(pytorch.modelId());
            assertThat(fromOnnx.info().spec()).isEqualTo(info.spec());
            assertThat(fromOnnx.info().temperature()).isEqualTo(1.5);
            // the out-of-distribution score reads the same features on both engines
            List<byte[]> prepared = images.stream().map(pytorch::prepare).toList();
            float[][] expected = pytorch.features(prepared, 7);
            float[][] actual = fromStoredGraph.features(prepared, 7);
            assertThat(actual).hasNumberOfRows(images.size());
            for (int i = 0; i < expected.length; i++) {
                assertThat(actual[i]).as(arch + " features of image " + i).hasSize(expected[i].length);
                double scale = 0;
                for (float v : expected[i]) {
                    scale = Math.max(scale, Math.abs(v));
                }
                // float sums in another order: errors scale with the image's largest feature (random nets reach
                // hundreds), not with each feature, some of which are near zero
                for (int j = 0; j < expected[i].length; j++) {
                    assertThat((double) actual[i][j]).as(arch + " feature " + j + " of image " + i)
                            .isCloseTo(expected[i][j], within(1e-4 + 1e-5 * scale));
                }
            }
        }
    }

    @Test
    void theTrainedModelMakesTheSameCallsWithTta() throws IOException {
        Path onnx = tmp.resolve("trained.onnx");
        OnnxExport.write(TestModels.trained(), onnx, false);
        List<BufferedImage> images = TestModels.cells(21, 12, true);
        images.addAll(TestModels.cells(22, 12, false));
        try (CellClassifier pytorch = CellClassifier.load(TestModels.trained());
                CellClassifier ort = CellClassifier.load(onnx, EngineKind.ONNXRUNTIME)) {
            for (boolean tta : new boolean[] {false, true}) {
                List<Prediction> expected = pytorch.predictAll(images, tta);
                List<Prediction> actual = ort.predictAll(images, tta);
                assertSamePredictions("trained, tta " + tta, expected, actual);
                assertThat(actual).allSatisfy(p -> assertThat(p.tta()).isEqualTo(tta));
            }
            Prediction single = ort.predict(images.get(0));
            assertThat(single.parasitizedProbability())
                    .isCloseTo(pytorch.predict(images.get(0)).parasitizedProbability(), within(PROBABILITY_TOLERANCE));
        }
    }

    @Test
    void theTrainedModelsStoredGraphMakesTheSameCallsAsPyTorch() throws IOException {
        Path withGraph = tmp.resolve("trained.smear");
        assertThat(EmbeddedGraph.export(TestModels.trained(), withGraph, false).hasOnnxGraph()).isTrue();
        List<BufferedImage> images = TestModels.cells(31, 12, true);
        images.addAll(TestModels.cells(32, 12, false));
        try (CellClassifier pytorch = CellClassifier.load(TestModels.trained());
                CellClassifier ort = CellClassifier.load(withGraph, EngineKind.ONNXRUNTIME)) {
            for (boolean tta : new boolean[] {false, true}) {
                assertSamePredictions("stored graph, tta " + tta, pytorch.predictAll(images, tta),
                        ort.predictAll(images, tta));
            }
        }
    }

    /**
     * The stored graph is what runs: one that another model's network made, with every checksum made consistent,
     * is refused because it records the other model's hash.
     */
    @Test
    void aStoredGraphOfAnotherModelIsRefused() throws IOException {
        Path other = tmp.resolve("other-with-graph.smear");
        EmbeddedGraph.export(TestModels.untrained(tmp.resolve("other.smear"), TestModels.info()), other, false);
        byte[] otherGraph = ModelFile.readOnnxGraph(other).orElseThrow().onnx();
        Path mixed = tmp.resolve("mixed.smear");
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelFile.Loaded trained = ModelFile.read(TestModels.trained(), manager);
            ModelFile.write(mixed, ModelFile.contents(trained.net(), trained.info()), Optional.of(otherGraph));
        }
        assertThat(ModelFile.verify(mixed).hasOnnxGraph()).isTrue(); // consistent checksums
        assertThatThrownBy(() -> CellClassifier.load(mixed, EngineKind.ONNXRUNTIME))
                .isInstanceOf(InvalidModelFileException.class).hasMessageStartingWith(mixed.toString())
                .hasMessageContaining("exported from another model");

        Path notOnnx = tmp.resolve("not-onnx.smear");
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelFile.Loaded trained = ModelFile.read(TestModels.trained(), manager);
            ModelFile.write(notOnnx, ModelFile.contents(trained.net(), trained.info()),
                    Optional.of(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
        }
        assertThatThrownBy(() -> CellClassifier.load(notOnnx, EngineKind.ONNXRUNTIME))
                .isInstanceOf(InvalidModelFileException.class).hasMessageStartingWith(notOnnx.toString())
                .hasMessageContaining("ONNX graph is not a readable ONNX model");
    }

    @Test
    void heatmapsStayWithPyTorch() throws IOException {
        try (CellClassifier ort = CellClassifier.load(TestModels.untrained(tmp.resolve("m.smear"), TestModels.info()),
                EngineKind.ONNXRUNTIME)) {
            byte[] prepared = ort.prepare(TestModels.cells(1, 1, true).get(0));
            assertThatThrownBy(() -> ort.heatmaps(List.of(prepared), new int[] {0}))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("Grad-CAM").hasMessageContaining("--engine pytorch");
        }
    }

    @Test
    void eachEngineRefusesWhatItCannotReadSayingWhy() throws IOException {
        Path smear = TestModels.untrained(tmp.resolve("m.smear"), TestModels.info());
        Path onnx = tmp.resolve("m.onnx");
        OnnxExport.write(smear, onnx, false);
        assertThatThrownBy(() -> CellClassifier.load(onnx))
                .isInstanceOf(InvalidModelFileException.class).hasMessageContaining("--engine onnxruntime");

        Path garbage = Files.write(tmp.resolve("garbage.onnx"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        assertThatThrownBy(() -> CellClassifier.load(garbage, EngineKind.ONNXRUNTIME))
                .isInstanceOf(InvalidModelFileException.class).hasMessageContaining(garbage.toString())
                .hasMessageContaining("not a readable ONNX model");
        assertThatThrownBy(() -> CellClassifier.load(tmp.resolve("missing.onnx"), EngineKind.ONNXRUNTIME))
                .isInstanceOf(InvalidModelFileException.class).hasMessageContaining("no such file");
        assertThatThrownBy(() -> EngineKind.parse("tensorrt")).hasMessageContaining("pytorch")
                .hasMessageContaining("onnxruntime");
    }

    private static void assertSameLogits(String what, CellClassifier expected, CellClassifier actual,
            List<BufferedImage> images) {
        List<byte[]> prepared = new ArrayList<>();
        for (BufferedImage image : images) {
            prepared.add(expected.prepare(image));
        }
        float[][][] a = expected.logits(prepared, false, 64);
        float[][][] b = actual.logits(prepared, false, 64);
        double largest = 0;
        for (float[][] image : a) {
            for (float v : image[0]) {
                largest = Math.max(largest, Math.abs(v));
            }
        }
        assertThat(largest).as(what + ": logits big enough to compare").isGreaterThan(0.1);
        for (int i = 0; i < a.length; i++) {
            for (int k = 0; k < a[i][0].length; k++) {
                assertThat((double) b[i][0][k]).as(what + " image " + i + " logit " + k)
                        .isCloseTo(a[i][0][k], within(1e-4 * largest + 1e-5));
            }
        }
    }

    private static void assertSamePredictions(String what, List<Prediction> expected, List<Prediction> actual) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            Prediction e = expected.get(i);
            Prediction a = actual.get(i);
            assertThat(a.label()).as(what + " image " + i + " label").isEqualTo(e.label());
            assertThat(a.modelId()).isEqualTo(e.modelId());
            for (String c : e.probabilities().keySet()) {
                assertThat(a.probabilities().get(c)).as(what + " image " + i + " P(" + c + ")")
                        .isCloseTo(e.probabilities().get(c), within(PROBABILITY_TOLERANCE));
            }
        }
    }
}
