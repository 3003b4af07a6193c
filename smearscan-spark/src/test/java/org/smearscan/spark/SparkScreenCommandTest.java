package org.smearscan.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/smearscan-spark's command line, on a local master. */
class SparkScreenCommandTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @AfterEach
    void release() {
        ShippedModel.closeLoaded();
    }

    private int run(String... args) {
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return SparkScreenCommand.execute(args);
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
    }

    @Test
    void writesBothTablesAndNamesThem() throws Exception {
        Path images = dir.resolve("images");
        JobFixtures.cells(images, 2, 3, 1);
        Path model = JobFixtures.model(dir.resolve("m.smear"), 2);
        Path outDir = dir.resolve("out");

        int code = run("--master", "local[1]", model.toString(), images.toString(), "--out", outDir.toString(),
                "--format", "csv");

        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8).lines().toList())
                .containsExactly(outDir.resolve("cells").toString(), outDir.resolve("donors").toString());
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("6 images classified").contains("2 donors");
        try (var parts = Files.list(outDir.resolve("cells"))) {
            List<Path> csv = parts.filter(p -> p.toString().endsWith(".csv")).toList();
            assertThat(csv).isNotEmpty();
            assertThat(Files.readAllLines(csv.get(0)).get(0)).startsWith("path,donor,label,probability");
        }
    }

    @Test
    void aMissingModelIsOneLineNamingIt() {
        int code = run("--master", "local[1]", dir.resolve("absent.smear").toString(), dir.toString(), "--out",
                dir.resolve("out").toString());

        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("smearscan-spark: error: ")
                .contains("absent.smear").doesNotContain("\tat ");
    }

    @Test
    void anUnknownFormatIsRefusedBeforeAnythingRuns() {
        int code = run(dir.resolve("absent.smear").toString(), dir.toString(), "--out", dir.resolve("o").toString(),
                "--format", "xlsx");

        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown format 'xlsx'; choose parquet or csv");
    }
}
