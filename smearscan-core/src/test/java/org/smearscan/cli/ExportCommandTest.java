package org.smearscan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smearscan.modelfile.ModelFile;
import org.smearscan.onnx.proto.Onnx.ModelProto;
import org.smearscan.testing.PythonOnnx;
import org.smearscan.testing.TestModels;

class ExportCommandTest {
    @TempDir
    Path tmp;

    @Test
    void exportsAVerifiedCopyOfTheRunsModel() throws IOException {
        Path run = Files.createDirectories(tmp.resolve("runs/2024-01-01"));
        Files.copy(TestModels.trained(), run.resolve("model.smear"));
        Path out = tmp.resolve("deploy/malaria.smear");

        CliRun r = CliRun.run("export", run.toString(), "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        String id = ModelFile.verify(TestModels.trained()).id();
        assertThat(r.out()).contains("exported model " + id).contains("compact").contains(out.toAbsolutePath().toString());
        assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(TestModels.trained()));

        CliRun again = CliRun.run("export", run.toString(), "--out", out.toString());
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).contains("already exists").contains("--force");
        assertThat(CliRun.run("export", run.toString(), "--out", out.toString(), "--force").code()).isEqualTo(0);
    }

    @Test
    void exportsTheModelAsOnnx() throws Exception {
        Path run = Files.createDirectories(tmp.resolve("runs/onnx"));
        Files.copy(TestModels.trained(), run.resolve("model.smear"));
        Path out = tmp.resolve("deploy/malaria.onnx");

        CliRun r = CliRun.run("export", run.toString(), "--format", "onnx", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        String id = ModelFile.verify(TestModels.trained()).id();
        assertThat(r.out()).contains("exported model " + id).contains("as ONNX (opset 17)");
        ModelProto model;
        try (InputStream in = Files.newInputStream(out)) {
            model = ModelProto.parseFrom(in);
        }
        assertThat(model.getMetadataPropsList()).anySatisfy(e -> {
            assertThat(e.getKey()).isEqualTo("model_id");
            assertThat(e.getValue()).isEqualTo(id);
        });

        CliRun again = CliRun.run("export", run.toString(), "--format", "onnx", "--out", out.toString());
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).contains("already exists").contains("--force");
        CliRun bad = CliRun.run("export", run.toString(), "--format", "tflite", "--out", out.toString());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("smear").contains("onnx");

        PythonOnnx.Result checked = PythonOnnx.check(out);
        assertThat(checked.ok()).as(checked.log()).isTrue();
    }

    @Test
    void embedsTheOnnxGraphInACopyThatKeepsTheId() throws IOException {
        Path out = tmp.resolve("deploy/with-graph.smear");
        CliRun r = CliRun.run("export", TestModels.trained().toString(), "--embed-onnx", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        ModelFile.Described source = ModelFile.verify(TestModels.trained());
        assertThat(source.hasOnnxGraph()).isFalse();
        assertThat(r.out()).contains("exported model " + source.id()).contains("with its ONNX graph");
        ModelFile.Described copy = ModelFile.verify(out);
        assertThat(copy.hasOnnxGraph()).isTrue();
        assertThat(copy.id()).isEqualTo(source.id());
        ModelProto graph = ModelProto.parseFrom(ModelFile.readOnnxGraph(out).orElseThrow().onnx());
        assertThat(graph.getMetadataPropsList()).anySatisfy(e -> {
            assertThat(e.getKey()).isEqualTo("model_sha256");
            assertThat(e.getValue()).isEqualTo(source.sha256());
        });

        // a plain export copies it byte for byte, graph included
        Path plain = tmp.resolve("deploy/plain-copy.smear");
        CliRun copied = CliRun.run("export", out.toString(), "--out", plain.toString());
        assertThat(copied.code()).as(copied.err()).isZero();
        assertThat(copied.out()).contains("with its ONNX graph");
        assertThat(Files.readAllBytes(plain)).isEqualTo(Files.readAllBytes(out));

        CliRun both = CliRun.run("export", out.toString(), "--format", "onnx", "--embed-onnx", "--out",
                tmp.resolve("x.onnx").toString());
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).contains("--embed-onnx");
        CliRun again = CliRun.run("export", TestModels.trained().toString(), "--embed-onnx", "--out", out.toString());
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).contains("already exists").contains("--force");
    }

    @Test
    void aDamagedOrMissingModelIsNotExported() throws IOException {
        Path run = Files.createDirectories(tmp.resolve("run"));
        byte[] bytes = Files.readAllBytes(TestModels.trained());
        Files.write(run.resolve("model.smear"), Arrays.copyOf(bytes, bytes.length - 100));
        Path out = tmp.resolve("out.smear");

        CliRun r = CliRun.run("export", run.toString(), "--out", out.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains(run.resolve("model.smear").toString()).contains("not a readable model file");
        assertThat(out).doesNotExist();

        CliRun missing = CliRun.run("export", tmp.resolve("nowhere").toString(), "--out", out.toString());
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("no such file");

        CliRun damagedToOnnx = CliRun.run("export", run.toString(), "--format", "onnx", "--out", out.toString());
        assertThat(damagedToOnnx.code()).isEqualTo(1);
        assertThat(damagedToOnnx.err()).contains("not a readable model file");
        assertThat(out).doesNotExist();
    }
}
