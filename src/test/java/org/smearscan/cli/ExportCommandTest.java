package org.smearscan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smearscan.deploy.ModelFile;
import org.smearscan.deploy.TestModels;

class ExportCommandTest {
    @TempDir
    Path tmp;

    @Test
    void exportsAVerifiedCopyOfTheRunsModel() throws IOException {
        Path run = Files.createDirectories(tmp.resolve("runs/2024-01-01"));
        Files.copy(TestModels.trained(), run.resolve("model.smear"));
        Path out = tmp.resolve("deploy/malaria.smear");

        String[] r = PredictCommandTest.run("export", run.toString(), "--out", out.toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        String id = ModelFile.verify(TestModels.trained()).id();
        assertThat(r[1]).contains("exported model " + id).contains("compact").contains(out.toAbsolutePath().toString());
        assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(TestModels.trained()));

        String[] again = PredictCommandTest.run("export", run.toString(), "--out", out.toString());
        assertThat(again[0]).isEqualTo("1");
        assertThat(again[2]).contains("already exists").contains("--force");
        assertThat(PredictCommandTest.run("export", run.toString(), "--out", out.toString(), "--force")[0]).isEqualTo("0");
    }

    @Test
    void aDamagedOrMissingModelIsNotExported() throws IOException {
        Path run = Files.createDirectories(tmp.resolve("run"));
        byte[] bytes = Files.readAllBytes(TestModels.trained());
        Files.write(run.resolve("model.smear"), Arrays.copyOf(bytes, bytes.length - 100));
        Path out = tmp.resolve("out.smear");

        String[] r = PredictCommandTest.run("export", run.toString(), "--out", out.toString());
        assertThat(r[0]).isEqualTo("1");
        assertThat(r[2]).contains(run.resolve("model.smear").toString()).contains("not a readable model file");
        assertThat(out).doesNotExist();

        String[] missing = PredictCommandTest.run("export", tmp.resolve("nowhere").toString(), "--out", out.toString());
        assertThat(missing[0]).isEqualTo("1");
        assertThat(missing[2]).contains("no such file");
    }
}
