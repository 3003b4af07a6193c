package org.smearscan.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressReporterTest {
    @Test
    void plainLinesAtEachTenthAndAtTheEnd() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (ProgressReporter lines = new ProgressReporter.Lines("Caching", 200, "img", 1, out)) {
            for (int i = 0; i < 200; i++) {
                lines.step(1);
            }
        }
        String[] printed = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(printed).hasSize(10);
        assertThat(printed[0]).startsWith("Caching: 20/200 img (10%)");
        assertThat(printed[9]).startsWith("Caching: 200/200 img (100%)");
        assertThat(bytes.toString(StandardCharsets.UTF_8)).doesNotContain("\r");
    }

    @Test
    void unitsAreScaled() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (ProgressReporter lines = new ProgressReporter.Lines("Downloading", 10L << 20, "MB", 1 << 20, out)) {
            lines.stepTo(5L << 20);
        }
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("Downloading: 5/10 MB (50%)");
    }
}
