package org.smearscan.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CsvTest {
    @Test
    void fieldsWithCommasAndQuotesComeBackAsWritten() {
        List<String> values = List.of("plain", "a,b", "say \"hi\"", "", "/data/P77/cell 1.png");
        String line = String.join(",", values.stream().map(Csv::field).toList());

        assertThat(line).isEqualTo("plain,\"a,b\",\"say \"\"hi\"\"\",,/data/P77/cell 1.png");
        assertThat(Csv.parseLine(line)).isEqualTo(values);
    }

    @Test
    void aQuotedFieldMayHoldALineBreak() {
        String text = "name,note\r\na.png,\"two\nlines\"\nb.png,\n";

        assertThat(Csv.rows(text)).containsExactly(List.of("name", "note"), List.of("a.png", "two\nlines"),
                List.of("b.png", ""));
    }
}
