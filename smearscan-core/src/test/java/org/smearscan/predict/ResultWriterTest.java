package org.smearscan.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.smearscan.inference.FileResult;
import org.smearscan.inference.Prediction;

class ResultWriterTest {
    private static final Prediction P = new Prediction("Parasitized", 0, 0.9, 0.9,
            Map.of("Parasitized", 0.9, "Uninfected", 0.1), 0.5, "abc123def456", false);
    /** A call on an image the model cannot judge. */
    private static final Prediction NOT_A_CELL = new Prediction("Parasitized", 0, 0.8, 0.8,
            Map.of("Parasitized", 0.8, "Uninfected", 0.2), 0.5, "abc123def456", false, 7.25,
            Prediction.Status.NOT_A_CELL);

    private static String write(ResultWriter.Format format, List<FileResult> results) {
        StringWriter text = new StringWriter();
        ResultWriter w = new ResultWriter(new PrintWriter(text), format, results.stream().map(FileResult::file).toList(), false);
        w.begin();
        results.forEach(w::write);
        w.end();
        return text.toString();
    }

    @Test
    void csvQuotesFieldsThatNeedIt() {
        String csv = write(ResultWriter.Format.CSV, List.of(
                FileResult.classified(Path.of("a,b.png"), P, null),
                FileResult.classified(Path.of("text.png"), NOT_A_CELL, null),
                FileResult.failed(Path.of("c.png"), "c.png is \"odd\", truly")));
        assertThat(csv.lines().toList()).containsExactly(
                "file,label,probability,parasitized_probability,threshold,model_id,tta,ood_score,status,error",
                "\"a,b.png\",Parasitized,0.900000,0.900000,0.5,abc123def456,false,,ok,",
                "text.png,,0.800000,0.800000,0.5,abc123def456,false,7.2500,not_a_cell,",
                "c.png,,,,,,,,,\"c.png is \"\"odd\"\", truly\"");
    }

    @Test
    void anImageThatIsNotACellGetsNoLabelInAnyFormat() {
        String json = write(ResultWriter.Format.JSON, List.of(FileResult.classified(Path.of("t.png"), NOT_A_CELL, null)));
        assertThat(json).contains("\"label\":null").contains("\"oodScore\":7.25").contains("\"status\":\"not_a_cell\"");
        String table = write(ResultWriter.Format.TABLE, List.of(FileResult.classified(Path.of("t.png"), NOT_A_CELL, null)));
        assertThat(table).contains("not a cell").doesNotContain("Parasitized");
    }

    @Test
    void jsonIsAValidArrayEvenWhenEmpty() {
        assertThat(write(ResultWriter.Format.JSON, List.of()).trim()).isEqualTo("[]");
        assertThat(write(ResultWriter.Format.JSON, List.of(FileResult.failed(Path.of("x.png"), "bad"))))
                .isEqualTo("[\n  {\"file\":\"x.png\",\"error\":\"bad\"}\n]\n");
    }

    @Test
    void unknownFormatIsNamed() {
        assertThatThrownBy(() -> ResultWriter.Format.parse("yaml")).hasMessageContaining("'yaml'");
        assertThat(ResultWriter.Format.parse(" Csv ")).isEqualTo(ResultWriter.Format.CSV);
    }
}
