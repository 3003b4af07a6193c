package org.smearscan.modelfile;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smearscan.model.Architecture;
import org.smearscan.model.CellNet;
import org.smearscan.model.Networks;

/**
 * Model files written before the typed provenance record still load. The model.json here is the one the
 * code of 2026-11-30 before issue 14 wrote for a resnet18 run (flat provenance map, each software version
 * twice); only its architecture and image size were changed to a compact net at 32 px, so that the weights,
 * made here, stay small. The zip is laid out as that code wrote it.
 */
class LegacyModelFileTest {

    @Test
    void aModelFileWrittenBeforeTheProvenanceRecordStillLoads(@TempDir Path tmp) throws Exception {
        byte[] info = Files.readAllBytes(Path.of("src/test/resources/legacy/model-before-2026-11-30.json"));
        Path file = tmp.resolve("old.smear");
        try (NDManager manager = NDManager.newBaseManager()) {
            CellNet net = Networks.build(new org.smearscan.model.ModelSpec(Architecture.COMPACT,
                    org.smearscan.model.HeadType.FASTAI, 2));
            net.network().initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            ByteArrayOutputStream weights = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(weights)) {
                net.network().saveParameters(out);
            }
            try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
                put(zip, ModelFile.VERSION_ENTRY, "1".getBytes(StandardCharsets.UTF_8));
                put(zip, ModelFile.INFO_ENTRY, info);
                put(zip, ModelFile.WEIGHTS_ENTRY, weights.toByteArray());
                put(zip, ModelFile.CHECKSUM_ENTRY,
                        ModelFile.sha256(info, weights.toByteArray()).getBytes(StandardCharsets.UTF_8));
            }
        }

        ModelFile.Described described = ModelFile.verify(file);
        // written before model files could hold an ONNX graph: none, and none required
        assertThat(described.hasOnnxGraph()).isFalse();
        assertThat(ModelFile.readOnnxGraph(file)).isEmpty();
        ModelInfo loaded = described.info();
        assertThat(loaded.classes()).containsExactly("Parasitized", "Uninfected");
        assertThat(loaded.metrics().get("accuracy")).isEqualTo(0.9552420335684748);
        Provenance p = loaded.provenance();
        assertThat(p.datasetFingerprint()).startsWith("7c39c90f");
        assertThat(p.splitFingerprint()).startsWith("ce8e52d4");
        assertThat(p.splitDescription()).isEqualTo("random valid_pct=0.2 seed=42");
        assertThat(p.seed()).isEqualTo(42L);
        assertThat(p.backbone()).isEqualTo("resnet18");
        assertThat(p.configuration()).contains("\"monitor\":\"ACCURACY\"");
        // the second copies of the versions (djl_version, smearscan_version "null", ...) are dropped
        assertThat(p.software()).containsEntry("djl.version", "0.36.0").containsEntry("pytorch.version", "2.7.1")
                .containsKeys("smearscan.version", "java.version", "os.arch");
        assertThat(p.other()).isEmpty();
    }

    private static void put(ZipOutputStream zip, String name, byte[] bytes) throws java.io.IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }
}
