package org.smearscan.field.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.smearscan.field.CellCall;
import org.smearscan.field.FieldResult;
import org.smearscan.field.ScreenRun;
import org.smearscan.field.ScreenedFile;
import org.smearscan.field.SlideGrouping;
import org.smearscan.field.SlideResult;
import org.smearscan.io.Csv;
import org.smearscan.stats.Estimate;

/**
 * A screen run as text: an aligned table for people, CSV for spreadsheets, one JSON document for programs.
 * All are written from one {@link ScreenRun}, so they carry the same numbers; parasitemia is a percentage of
 * the counted cells with its Wilson 95% interval, blank (csv), null (json) or n/a (table) for a field without
 * counted cells. Inputs that could not be screened appear in every form, with their reason, in input order.
 */
public final class FieldTables {
    static final String FIELDS_HEADER = "field,slide,width,height,cells,infected,parasitemia_pct,ci_low_pct,ci_high_pct,"
            + "not_a_cell,cut,seconds";
    static final String SLIDES_HEADER = "slide,fields,not_screened,cells,infected,parasitemia_pct,ci_low_pct,"
            + "ci_high_pct,not_a_cell";
    static final String CELLS_HEADER = "field,x,y,w,h,probability,call";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ScreenRun run;
    private final Map<Path, String> overlays;

    private FieldTables(ScreenRun run, Map<Path, String> overlays) {
        this.run = run;
        this.overlays = overlays;
    }

    /** Tables of a run without an output folder: no overlay column. */
    public static FieldTables of(ScreenRun run) {
        return new FieldTables(run, null);
    }

    /** Tables that also name each screened field's overlay (a path relative to the output folder). */
    public static FieldTables withOverlays(ScreenRun run, Map<Path, String> overlays) {
        return new FieldTables(run, Map.copyOf(overlays));
    }

    /** One row per input: its count, or its error. */
    public String fieldsCsv() {
        StringBuilder b = new StringBuilder(FIELDS_HEADER).append(overlays != null ? ",overlay" : "").append(",error\n");
        for (ScreenedFile f : run.files()) {
            b.append(csv(f.name())).append(',').append(csv(f.slide()));
            if (f.isScreened()) {
                FieldResult r = f.result();
                b.append(',').append(r.width()).append(',').append(r.height()).append(',').append(r.countedCells())
                        .append(',').append(r.infectedCells()).append(',').append(csvPercent(r.parasitemia()))
                        .append(',').append(r.notACell()).append(',').append(cut(r))
                        .append(',').append(String.format(Locale.ROOT, "%.3f", r.seconds()));
            } else {
                b.append(",,,,,,,,,,");
            }
            if (overlays != null) {
                b.append(',').append(csv(overlays.getOrDefault(f.file(), "")));
            }
            b.append(',').append(csv(f.isScreened() ? "" : f.error())).append('\n');
        }
        return b.toString();
    }

    /** One row per slide: its screened fields summed. */
    public String slidesCsv() {
        StringBuilder b = new StringBuilder(SLIDES_HEADER).append('\n');
        for (SlideResult s : run.slides()) {
            b.append(csv(s.slide())).append(',').append(s.fields().size()).append(',')
                    .append(run.problemsOf(s.slide())).append(',').append(s.countedCells()).append(',')
                    .append(s.infectedCells()).append(',').append(csvPercent(s.parasitemia())).append(',')
                    .append(s.notACell()).append('\n');
        }
        return b.toString();
    }

    /** One row per cell found in a screened field, cut and not-a-cell ones included. */
    public String cellsCsv() {
        StringBuilder b = new StringBuilder(CELLS_HEADER).append('\n');
        for (ScreenedFile f : run.screened()) {
            String field = csv(f.name());
            for (CellCall c : f.result().cells()) {
                b.append(field).append(',').append(c.box().x()).append(',').append(c.box().y()).append(',')
                        .append(c.box().w()).append(',').append(c.box().h()).append(',')
                        .append(Double.isNaN(c.parasitizedProbability()) ? ""
                                : String.format(Locale.ROOT, "%.6f", c.parasitizedProbability()))
                        .append(',').append(CallKind.of(c).wireName()).append('\n');
            }
        }
        return b.toString();
    }

    /** The whole run as one JSON object: model, grouping, fields (in input order) and slides. */
    public String json() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("model", run.modelId());
        doc.put("slides_by", run.grouping().wireName());
        doc.put("screened", run.screened().size());
        doc.put("not_screened", run.problems().size());
        List<Object> fields = new ArrayList<>();
        for (ScreenedFile f : run.files()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("field", f.name());
            o.put("slide", f.slide());
            if (f.isScreened()) {
                FieldResult r = f.result();
                o.put("width", r.width());
                o.put("height", r.height());
                o.put("cells", r.countedCells());
                o.put("infected", r.infectedCells());
                putPercent(o, r.parasitemia());
                o.put("not_a_cell", r.notACell());
                o.put("cut", cut(r));
                o.put("seconds", r.seconds());
                if (overlays != null) {
                    o.put("overlay", overlays.get(f.file()));
                }
            } else {
                o.put("error", f.error());
            }
            fields.add(o);
        }
        doc.put("fields", fields);
        List<Object> slides = new ArrayList<>();
        for (SlideResult s : run.slides()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("slide", s.slide());
            o.put("fields", s.fields().size());
            o.put("not_screened", run.problemsOf(s.slide()));
            o.put("cells", s.countedCells());
            o.put("infected", s.infectedCells());
            putPercent(o, s.parasitemia());
            o.put("not_a_cell", s.notACell());
            slides.add(o);
        }
        doc.put("slides", slides);
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(doc) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The aligned table: a row per input (an error row for one that was not screened), then, when fields
     * are grouped by folder, a row per slide. When each field is its own slide the slide rows would repeat
     * the field rows, so they are left out.
     */
    public String table() {
        boolean bySlide = run.grouping() == SlideGrouping.FOLDER;
        List<String[]> rows = new ArrayList<>();
        rows.add(bySlide ? new String[] {"FIELD", "SLIDE", "CELLS", "INFECTED", "PARASITEMIA", "95% CI", "NOT A CELL", "SECONDS"}
                : new String[] {"FIELD", "CELLS", "INFECTED", "PARASITEMIA", "95% CI", "NOT A CELL", "SECONDS"});
        List<String> errors = new ArrayList<>();
        for (ScreenedFile f : run.files()) {
            if (!f.isScreened()) {
                errors.add(f.name());
                rows.add(null);
                continue;
            }
            FieldResult r = f.result();
            List<String> row = new ArrayList<>(List.of(f.name()));
            if (bySlide) {
                row.add(f.slide());
            }
            row.addAll(List.of(Integer.toString(r.countedCells()), Integer.toString(r.infectedCells()),
                    percent(r.parasitemia().value()), interval(r.parasitemia()), Integer.toString(r.notACell()),
                    String.format(Locale.ROOT, "%.2f", r.seconds())));
            rows.add(row.toArray(String[]::new));
        }
        StringBuilder b = new StringBuilder();
        int[] widths = widths(rows);
        // an error row's name shares the first column
        errors.forEach(name -> widths[0] = Math.max(widths[0], Math.min(80, name.length())));
        int next = 0;
        for (String[] row : rows) {
            if (row == null) {
                ScreenedFile failed = run.problems().get(next++);
                b.append(pad(failed.name(), widths[0])).append("  ERROR: ").append(failed.error()).append('\n');
            } else {
                b.append(align(row, widths, bySlide ? 2 : 1)).append('\n');
            }
        }
        if (bySlide) {
            List<String[]> slides = new ArrayList<>();
            slides.add(new String[] {"SLIDE", "FIELDS", "NOT SCREENED", "CELLS", "INFECTED", "PARASITEMIA", "95% CI", "NOT A CELL"});
            for (SlideResult s : run.slides()) {
                slides.add(new String[] {s.slide(), Integer.toString(s.fields().size()),
                    Integer.toString(run.problemsOf(s.slide())), Integer.toString(s.countedCells()),
                    Integer.toString(s.infectedCells()), percent(s.parasitemia().value()), interval(s.parasitemia()),
                    Integer.toString(s.notACell())});
            }
            int[] w = widths(slides);
            b.append('\n');
            slides.forEach(row -> b.append(align(row, w, 1)).append('\n'));
        }
        return b.toString();
    }

    /** Cells found but cut by the field's edge (shown, not counted). */
    static int cut(FieldResult r) {
        return (int) r.cells().stream().filter(CellCall::cut).count();
    }

    /** A share as a percentage with two decimals, or n/a. */
    static String percent(double share) {
        return Double.isNaN(share) ? "n/a" : String.format(Locale.ROOT, "%.2f%%", 100 * share);
    }

    /** The 95% interval in percent, e.g. {@code [1.20, 9.80]}, or n/a. */
    static String interval(Estimate e) {
        return e.isDefined() ? String.format(Locale.ROOT, "[%.2f, %.2f]", 100 * e.lo(), 100 * e.hi()) : "n/a";
    }

    private static String csvPercent(Estimate e) {
        return e.isDefined() ? String.format(Locale.ROOT, "%.4f,%.4f,%.4f", 100 * e.value(), 100 * e.lo(), 100 * e.hi())
                : ",,";
    }

    private static void putPercent(Map<String, Object> o, Estimate e) {
        o.put("parasitemia_pct", e.isDefined() ? 100 * e.value() : null);
        o.put("parasitemia_ci_pct", e.isDefined() ? List.of(100 * e.lo(), 100 * e.hi()) : null);
    }

    private static int[] widths(List<String[]> rows) {
        int[] w = new int[rows.get(0).length];
        for (String[] row : rows) {
            if (row == null) {
                continue;
            }
            for (int i = 0; i < row.length; i++) {
                w[i] = Math.max(w[i], Math.min(80, row[i].length()));
            }
        }
        return w;
    }

    /** The first {@code text} columns (names) left-aligned, the figures right-aligned. */
    private static String align(String[] row, int[] widths, int text) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < row.length; i++) {
            b.append(i == 0 ? "" : "  ")
                    .append(i < text ? pad(row[i], widths[i]) : String.format("%" + widths[i] + "s", row[i]));
        }
        return b.toString().stripTrailing();
    }

    private static String pad(String s, int width) {
        return String.format("%-" + width + "s", s);
    }

    static String csv(String value) {
        return Csv.field(value);
    }
}
