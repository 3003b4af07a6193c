package org.smearscan.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.smearscan.data.Normalization;
import org.smearscan.data.ResizeMethod;
import org.smearscan.model.Architecture;
import org.smearscan.model.CellNet;
import org.smearscan.model.HeadType;
import org.smearscan.model.ModelSpec;
import org.smearscan.model.Networks;
import org.smearscan.model.TorchScriptBody;
import org.smearscan.modelfile.FieldSettings;
import org.smearscan.modelfile.ModelFile;
import org.smearscan.modelfile.ModelInfo;
import org.smearscan.onnx.proto.Onnx.ModelProto;
import org.smearscan.onnx.proto.Onnx.NodeProto;
import org.smearscan.onnx.proto.Onnx.StringStringEntryProto;
import org.smearscan.onnx.proto.Onnx.TensorShapeProto;
import org.smearscan.onnx.proto.Onnx.ValueInfoProto;
import org.smearscan.segment.SegmentationParameters;
import org.smearscan.testing.PythonOnnx;
import org.smearscan.testing.TestModels;

class OnnxExportTest {
    @TempDir
    Path tmp;

    static ModelInfo info(Architecture arch, HeadType head) {
        return new ModelInfo(new ModelSpec(arch, head, 2), TestModels.CLASSES, 0, 32, ResizeMethod.PAD,
                new Normalization(new float[] {0.5f, 0.6f, 0.7f}, new float[] {0.2f, 0.25f, 0.3f}), 0.375, 1.5,
                Map.of(), null);
    }

    /** Every architecture that train makes (with its fastai head), and the linear head. */
    @ParameterizedTest
    @CsvSource({"compact, FASTAI, 20", "compact-slim, FASTAI, 20", "resnet18, FASTAI, 20", "resnet34, FASTAI, 36",
            "compact-slim, LINEAR, 20"})
    void exportsTheFoldedNetworkWithItsDescription(String arch, HeadType head, int convolutions) throws Exception {
        ModelInfo info = info(Architecture.parse(arch), head);
        Path smear = TestModels.untrainedWithBatchNormStatistics(tmp.resolve("m.smear"), info, 3);
        Path onnx = tmp.resolve("m.onnx");

        ModelFile.Described described = OnnxExport.write(smear, onnx, false);

        ModelProto model;
        try (InputStream in = Files.newInputStream(onnx)) {
            model = ModelProto.parseFrom(in);
        }
        assertThat(model.getIrVersion()).isEqualTo(8);
        assertThat(model.getOpsetImport(0).getVersion()).isGreaterThanOrEqualTo(13);
        assertThat(model.getProducerName()).isEqualTo("SmearScan");
        assertThat(dims(model.getGraph().getInput(0))).containsExactly("batch", "3", "32", "32");
        assertThat(model.getGraph().getInputCount()).as("weights are initializers, not inputs").isEqualTo(1);
        assertThat(model.getGraph().getOutputList()).extracting(ValueInfoProto::getName)
                .containsExactly("logits", "probabilities", "features");
        assertThat(dims(model.getGraph().getOutput(0))).containsExactly("batch", "2");
        assertThat(dims(model.getGraph().getOutput(2))).hasSize(2).first().isEqualTo("batch");

        Map<String, Long> ops = model.getGraph().getNodeList().stream()
                .collect(Collectors.groupingBy(NodeProto::getOpType, Collectors.counting()));
        assertThat(ops.get("Conv")).isEqualTo(convolutions);
        // folded: batch norms remain only in the fastai head, where no convolution precedes them
        assertThat(ops.getOrDefault("BatchNormalization", 0L)).isEqualTo(head == HeadType.FASTAI ? 2 : 0);
        assertThat(ops.getOrDefault("MaxPool", 0L)).isEqualTo(arch.startsWith("resnet") ? 1 : 0);

        Map<String, String> metadata = new HashMap<>();
        for (StringStringEntryProto e : model.getMetadataPropsList()) {
            metadata.put(e.getKey(), e.getValue());
        }
        assertThat(metadata).containsEntry("classes", "[\"Parasitized\",\"Uninfected\"]")
                .containsEntry("input_size", "32").containsEntry("resize", "pad")
                .containsEntry("normalization_mean", "[0.5,0.6,0.7]").containsEntry("normalization_std", "[0.2,0.25,0.3]")
                .containsEntry("threshold", "0.375").containsEntry("temperature", "1.5")
                .containsEntry("model_id", described.id()).containsEntry("model_sha256", described.sha256());
        ModelInfo back = OnnxMetadata.toInfo(metadata);
        assertThat(back.spec()).isEqualTo(info.spec());
        assertThat(back.classes()).isEqualTo(info.classes());
        assertThat(back.imageSize()).isEqualTo(32);
        assertThat(back.resize()).isEqualTo(ResizeMethod.PAD);
        assertThat(back.normalization().mean()).containsExactly(info.normalization().mean());
        assertThat(back.normalization().std()).containsExactly(info.normalization().std());
        assertThat(back.threshold()).isEqualTo(0.375);
        assertThat(back.temperature()).isEqualTo(1.5);

        PythonOnnx.Result checked = PythonOnnx.check(onnx);
        assertThat(checked.ok()).as(checked.log()).isTrue();
        assertThat(checked.log()).startsWith("ok ir 8 opset 17");
    }

    @Test
    void aTorchScriptBodyIsRefusedWithAReason() {
        ModelInfo info = info(Architecture.TORCHSCRIPT, HeadType.FASTAI);
        try (NDManager manager = NDManager.newBaseManager()) {
            CellNet net = Networks.withBody(info.spec(), TorchScriptBody.empty(manager));
            assertThatThrownBy(() -> OnnxExport.export(net, info, null))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("TorchScript body").hasMessageContaining("cannot be exported to ONNX");
        }
    }

    @Test
    void anExistingFileIsReplacedOnlyWhenAsked() throws IOException {
        Path smear = TestModels.untrained(tmp.resolve("m.smear"), info(Architecture.COMPACT_SLIM, HeadType.FASTAI));
        Path onnx = Files.writeString(tmp.resolve("taken.onnx"), "keep me");
        assertThatThrownBy(() -> OnnxExport.write(smear, onnx, false))
                .isInstanceOf(FileAlreadyExistsException.class).hasMessageContaining("--force");
        assertThat(Files.readString(onnx)).isEqualTo("keep me");
        OnnxExport.write(smear, onnx, true);
        assertThat(Files.size(onnx)).isGreaterThan(100_000);
    }

    @Test
    void metadataNameWhatIsMissing() {
        Map<String, String> metadata = new HashMap<>(OnnxMetadata.of(TestModels.info(), null));
        metadata.remove("input_size");
        assertThatThrownBy(() -> OnnxMetadata.toInfo(metadata)).hasMessageContaining("'input_size'");
        metadata.put("input_size", "big");
        assertThatThrownBy(() -> OnnxMetadata.toInfo(metadata)).hasMessageContaining("'input_size' = 'big'");
    }

    @Test
    void aFieldModelsSegmentationTravelsInTheMetadata() {
        FieldSettings fields = new FieldSettings(SegmentationParameters.DEFAULT.withMaxShared(0.5), List.of("a.jpg"),
                List.of("b.jpg"), true);
        Map<String, String> metadata = OnnxMetadata.of(TestModels.info().withFields(fields), null);

        assertThat(OnnxMetadata.toInfo(metadata).fields()).isEqualTo(fields);
        assertThat(OnnxMetadata.of(TestModels.info(), null)).doesNotContainKey(OnnxMetadata.FIELD_SETTINGS);
        assertThat(OnnxMetadata.toInfo(OnnxMetadata.of(TestModels.info(), null)).fields()).isNull();
    }

    private static List<String> dims(ValueInfoProto value) {
        return value.getType().getTensorType().getShape().getDimList().stream()
                .map(d -> d.getValueCase() == TensorShapeProto.Dimension.ValueCase.DIM_PARAM ? d.getDimParam()
                        : Long.toString(d.getDimValue()))
                .toList();
    }
}
