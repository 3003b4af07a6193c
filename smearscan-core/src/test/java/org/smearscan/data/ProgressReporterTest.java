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

    @Test
    void linesAtChosenFractionsInTheCallersFormatWithoutAnEndLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (ProgressReporter lines = ProgressReporter.builder("epoch 1/1", 8).out(out).lines(4, false)
                .lineFormat((done, total, seconds) -> done + " of " + total).lines()) {
            assertThat(lines.isBar()).isFalse();
            for (int i = 1; i <= 8; i++) {
                lines.stepTo(i);
                lines.message("ignored by plain lines");
            }
        }
        assertThat(bytes.toString(StandardCharsets.UTF_8).split(System.lineSeparator()))
                .containsExactly("2 of 8", "4 of 8", "6 of 8");
    }

    @Test
    void aJumpPastSeveralFractionsPrintsOneLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (ProgressReporter lines = new ProgressReporter.Lines("Caching", 100, "img", 1, out)) {
            lines.stepTo(55);
        }
        assertThat(bytes.toString(StandardCharsets.UTF_8).split(System.lineSeparator())).hasSize(2)
                .satisfiesExactly(l -> assertThat(l).startsWith("Caching: 55/100 img (55%)"),
                        l -> assertThat(l).startsWith("Caching: 55/100 img (55%)"));
    }

    @Test
    void aBarGoesToTheGivenStreamWithItsMessage() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (ProgressReporter bar = ProgressReporter.builder("epoch 1/2", 10).unit("batches", 1).out(out)
                .bar(false, 50).bar()) {
            assertThat(bar.isBar()).isTrue();
            bar.stepTo(10);
            bar.message(" loss 0.1234");
        }
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("epoch 1/2", "10/10 batches", "loss 0.1234");
    }
}
