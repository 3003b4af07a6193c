package org.smearscan.field.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.smearscan.field.FieldResult;
import org.smearscan.field.ScreenRun;
import org.smearscan.field.ScreenedFile;
import org.smearscan.field.SlideGrouping;
import org.smearscan.field.SlideResult;
import org.smearscan.io.AtomicFiles;
import org.smearscan.io.Html;
import org.smearscan.stats.Estimate;

/**
 * The screen's report for a microscopist: per slide, the count and parasitemia with its interval, a table of
 * its fields, and a gallery of every cell called infected, most probable first, so that the calls that
 * decide a diagnosis can be confirmed by eye in a minute. One HTML file with its styles inside and no script;
 * the pictures are relative links into the output folder's {@code overlays/} and {@code gallery/} (a
 * thousand fields as data URIs would make a page no browser opens), so the folder travels as a whole.
 */
public final class SlideReport {

    private SlideReport() {}

    public static void write(Path file, ScreenRun run, Map<Path, String> overlays, List<GalleryCell> gallery)
            throws IOException {
        AtomicFiles.write(file, render(run, overlays, gallery).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param overlays each screened field's overlay, relative to the report
     * @param gallery  the infected cells' crops, in any order (each slide's are sorted here)
     */
    public static String render(ScreenRun run, Map<Path, String> overlays, List<GalleryCell> gallery) {
        List<SlideResult> slides = run.slides();
        StringBuilder h = new StringBuilder(1 << 15);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>Field screen</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n<main>\n")
                .append("<h1>Field screen</h1>\n<p class=\"lead\">").append(run.screened().size())
                .append(" fields screened").append(run.problems().isEmpty() ? "" : ", " + run.problems().size() + " not screened")
                .append(", on ").append(slides.size()).append(slides.size() == 1 ? " slide" : " slides")
                .append(" (").append(run.grouping() == SlideGrouping.FOLDER
                        ? "a slide is a folder of fields" : "each field is its own slide")
                .append("), model <code>").append(esc(run.modelId())).append("</code>. Generated ")
                .append(esc(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))).append(".</p>\n")
                .append("<p>Parasitemia is the share of counted red cells called infected, with its Wilson 95% interval."
                        + " Counted cells are those not cut by the field's edge and judged by the model. In the overlays,"
                        + " <span class=\"infected\">infected</span> cells are outlined red with their probability,"
                        + " <span class=\"uninfected\">uninfected</span> ones green, those the model would not judge"
                        + " (not a cell) grey dashed, and cells cut by the edge thin grey.</p>\n");
        if (slides.size() > 1) {
            h.append("<nav>");
            for (int i = 0; i < slides.size(); i++) {
                h.append(i == 0 ? "" : " · ").append("<a href=\"#slide-").append(i + 1).append("\">")
                        .append(esc(slides.get(i).slide())).append("</a>");
            }
            h.append("</nav>\n");
        }
        for (int i = 0; i < slides.size(); i++) {
            slide(h, i + 1, slides.get(i), run, overlays, gallery);
        }
        if (!run.problems().isEmpty()) {
            h.append("<section id=\"not-screened\">\n<h2>Not screened</h2>\n<ul>\n");
            for (ScreenedFile f : run.problems()) {
                h.append("<li>").append(esc(f.error())).append("</li>\n");
            }
            h.append("</ul>\n</section>\n");
        }
        return h.append("</main>\n</body>\n</html>\n").toString();
    }

    private static void slide(StringBuilder h, int index, SlideResult slide, ScreenRun run, Map<Path, String> overlays,
            List<GalleryCell> gallery) {
        Estimate p = slide.parasitemia();
        h.append("<section class=\"slide\" id=\"slide-").append(index).append("\">\n<h2>")
                .append(esc(slide.slide())).append("</h2>\n<table class=\"summary\"><tbody>\n")
                .append(row("Fields screened", Integer.toString(slide.fields().size())));
        int problems = run.problemsOf(slide.slide());
        if (problems > 0) {
            h.append(row("Fields not screened", Integer.toString(problems)));
        }
        h.append(row("Red cells counted", Integer.toString(slide.countedCells())))
                .append(row("Infected", Integer.toString(slide.infectedCells())))
                .append(row("Parasitemia", "<b>" + FieldTables.percent(p.value()) + "</b> (95% CI "
                        + FieldTables.interval(p) + ")"))
                .append(row("Not a cell", Integer.toString(slide.notACell())))
                .append("</tbody></table>\n");

        h.append("<h3>Fields</h3>\n<table class=\"fields\"><thead><tr><th>Field</th><th>Cells</th><th>Infected</th>"
                + "<th>Parasitemia</th><th>95% CI</th><th>Not a cell</th><th>Seconds</th></tr></thead><tbody>\n");
        for (ScreenedFile f : run.files()) {
            if (!f.slide().equals(slide.slide())) {
                continue;
            }
            if (!f.isScreened()) {
                h.append("<tr class=\"error\"><td>").append(esc(f.name())).append("</td><td colspan=\"6\">not screened: ")
                        .append(esc(f.error())).append("</td></tr>\n");
                continue;
            }
            FieldResult r = f.result();
            String overlay = overlays.get(f.file());
            h.append("<tr><td>").append(overlay == null ? esc(f.name())
                            : "<a href=\"" + esc(overlay) + "\">" + esc(f.name()) + "</a>")
                    .append("</td><td class=\"num\">").append(r.countedCells())
                    .append("</td><td class=\"num\">").append(r.infectedCells())
                    .append("</td><td class=\"num\">").append(FieldTables.percent(r.parasitemia().value()))
                    .append("</td><td class=\"num\">").append(FieldTables.interval(r.parasitemia()))
                    .append("</td><td class=\"num\">").append(r.notACell())
                    .append("</td><td class=\"num\">").append(String.format(Locale.ROOT, "%.2f", r.seconds()))
                    .append("</td></tr>\n");
        }
        h.append("</tbody></table>\n");

        List<GalleryCell> infected = gallery.stream().filter(c -> c.slide().equals(slide.slide()))
                .sorted(Comparator.comparingDouble(GalleryCell::probability).reversed()).toList();
        h.append("<h3>Infected cells</h3>\n");
        if (infected.isEmpty()) {
            h.append("<p>No cell of this slide was called infected.</p>\n");
        } else {
            h.append("<p>").append(infected.size()).append(infected.size() == 1 ? " cell" : " cells")
                    .append(" called infected, the most probable first. Confirm each by eye; a click on its field"
                            + " shows it in place.</p>\n<div class=\"gallery\">\n");
            for (GalleryCell c : infected) {
                String prob = String.format(Locale.ROOT, "%.3f", c.probability());
                h.append("<figure data-probability=\"").append(prob).append("\"><img src=\"").append(esc(c.image()))
                        .append("\" alt=\"infected cell, probability ").append(prob).append("\">")
                        .append("<figcaption><b>").append(prob).append("</b><br><a href=\"").append(esc(c.overlay()))
                        .append("\">").append(esc(c.field())).append("</a></figcaption></figure>\n");
            }
            h.append("</div>\n");
        }
        h.append("</section>\n");
    }

    private static String row(String name, String valueHtml) {
        return "<tr><th>" + esc(name) + "</th><td>" + valueHtml + "</td></tr>\n";
    }

    /** Escapes text for HTML element content and attribute values. */
    static String esc(String s) {
        return Html.escape(s);
    }

    private static final String CSS = Html.BASE_CSS + """
            .infected { color: #dc141e; font-weight: 600; }
            .uninfected { color: #00aa3c; font-weight: 600; }
            table.summary th { background: #f7f7f7; width: 12em; }
            td.num { text-align: right; font-variant-numeric: tabular-nums; }
            tr.error td { background: #fbeaea; }
            .gallery { display: flex; flex-wrap: wrap; gap: 10px; }
            .gallery figure { margin: 0; width: 132px; }
            .gallery img { width: 128px; height: 128px; object-fit: contain; border: 2px solid #dc141e;
                           background: #000; }
            .gallery figcaption { font-size: 0.8em; color: #444; word-break: break-all; }
            code { font-size: 0.9em; }
            """;
}
