package org.smearscan.predict;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.smearscan.inference.FileResult;
import org.smearscan.inference.Prediction;
import org.smearscan.io.Csv;

/**
 * Writes file results as they arrive, as an aligned table, CSV or a JSON array. Unreadable files appear in
 * every format, with their error, in input order.
 */
public final class ResultWriter {
    /** Output formats of {@code smearscan predict}. */
    public enum Format {
        TABLE, CSV, JSON;

        public static Format parse(String name) {
            try {
                return valueOf(name.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown format '" + name + "'; choose table, csv or json");
            }
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintWriter out;
    private final Format format;
    private final boolean heatmaps;
    private final int fileWidth;
    private int written;

    /**
     * @param files    every file that will be written, to size the table's first column
     * @param heatmaps whether results carry a heatmap file (adds a column)
     */
    public ResultWriter(PrintWriter out, Format format, List<Path> files, boolean heatmaps) {
        this.out = out;
        this.format = format;
        this.heatmaps = heatmaps;
        this.fileWidth = Math.min(80, Math.max(4, files.stream().mapToInt(f -> f.toString().length()).max().orElse(4)));
    }

    public void begin() {
        switch (format) {
            case TABLE -> out.println(tableRow("FILE", "LABEL", "PROB", "P(PARASITIZED)", heatmaps ? "HEATMAP" : null));
            case CSV -> out.println("file,label,probability,parasitized_probability,threshold,model_id,tta,ood_score,"
                    + "status," + (heatmaps ? "heatmap," : "") + "error");
            case JSON -> out.print("[");
            default -> throw new IllegalStateException("unhandled format " + format);
        }
    }

    public void write(FileResult r) {
        switch (format) {
            case TABLE -> out.println(r.prediction().map(p -> tableRow(r.file().toString(), shownLabel(p),
                            String.format(Locale.ROOT, "%.4f", p.probability()),
                            String.format(Locale.ROOT, "%.4f", p.parasitizedProbability()),
                            heatmaps ? r.heatmap().map(Path::toString).orElse("") : null))
                    .orElseGet(() -> pad(r.file().toString()) + "  ERROR: " + r.error().orElse("")));
            case CSV -> out.println(csvRow(r));
            case JSON -> out.print((written == 0 ? "\n  " : ",\n  ") + json(r));
            default -> throw new IllegalStateException("unhandled format " + format);
        }
        written++;
    }

    public void end() {
        if (format == Format.JSON) {
            out.println(written == 0 ? "]" : "\n]");
        }
        out.flush();
    }

    /** The label, or "not a cell" for an image the model cannot judge. */
    static String shownLabel(Prediction p) {
        return p.isJudged() ? p.label() : "not a cell";
    }

    private String tableRow(String file, String label, String probability, String positive, String heatmap) {
        String row = String.format(Locale.ROOT, "%s  %-12s  %6s  %14s", pad(file), label, probability, positive);
        return heatmap == null ? row : row + "  " + heatmap;
    }

    private String pad(String file) {
        return String.format("%-" + fileWidth + "s", file);
    }

    private String csvRow(FileResult r) {
        StringBuilder b = new StringBuilder(csv(r.file().toString()));
        if (r.prediction().isPresent()) {
            Prediction p = r.prediction().get();
            b.append(',').append(csv(Objects.requireNonNullElse(p.judgedLabel(), "")))
                    .append(',').append(String.format(Locale.ROOT, "%.6f", p.probability()))
                    .append(',').append(String.format(Locale.ROOT, "%.6f", p.parasitizedProbability()))
                    .append(',').append(p.threshold())
                    .append(',').append(p.modelId())
                    .append(',').append(p.tta())
                    .append(',').append(Double.isNaN(p.oodScore()) ? "" : String.format(Locale.ROOT, "%.4f", p.oodScore()))
                    .append(',').append(p.status().wireName());
        } else {
            b.append(",,,,,,,,");
        }
        if (heatmaps) {
            b.append(',').append(csv(r.heatmap().map(Path::toString).orElse("")));
        }
        return b.append(',').append(csv(r.error().orElse(""))).toString();
    }

    static String csv(String value) {
        return Csv.field(value);
    }

    private static String json(FileResult r) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("file", r.file().toString());
        r.prediction().ifPresent(p -> {
            o.put("label", p.judgedLabel());
            o.put("probability", p.probability());
            o.put("parasitizedProbability", p.parasitizedProbability());
            o.put("probabilities", p.probabilities());
            o.put("threshold", p.threshold());
            o.put("modelId", p.modelId());
            o.put("tta", p.tta());
            o.put("oodScore", p.oodScoreOrNull());
            o.put("status", p.status().wireName());
        });
        r.heatmap().ifPresent(h -> o.put("heatmap", h.toString()));
        r.error().ifPresent(e -> o.put("error", e));
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
