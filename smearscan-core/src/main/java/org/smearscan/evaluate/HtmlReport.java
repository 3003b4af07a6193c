package org.smearscan.evaluate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.smearscan.io.AtomicFiles;
import org.smearscan.io.Html;
import org.smearscan.stats.Estimate;

/**
 * One self-contained HTML file: styles in the page, every image a {@code data:} URI, no script and no
 * external resource, so it reads the same offline, attached to an e-mail or archived with a model.
 */
public final class HtmlReport {

    /** A picture for the report. */
    public record Figure(String id, String title, String caption, byte[] png) {}

    /**
     * What the report shows.
     *
     * @param title         page title
     * @param model         facts about the model (file, checksum, architecture, input preparation...)
     * @param provenance    the model file's provenance (data fingerprint, split, seed, versions)
     * @param configuration the run's configuration (e.g. config.json), or null
     * @param evaluation    the measurements
     * @param figures       charts, in order
     * @param grids         top-loss grids, in order
     * @param notes         caveats to print under the header (e.g. what could not be drawn)
     */
    public record Content(String title, Map<String, String> model, Map<String, String> provenance, String configuration,
            Evaluation evaluation, List<Figure> figures, List<Figure> grids, List<String> notes) {}

    private HtmlReport() {}

    public static void write(Path file, Content content) throws IOException {
        AtomicFiles.write(file, render(content).getBytes(StandardCharsets.UTF_8));
    }

    public static String render(Content c) {
        Evaluation e = c.evaluation();
        StringBuilder h = new StringBuilder(1 << 16);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(esc(c.title())).append("</title>\n<style>\n").append(CSS).append("</style>\n")
                .append("</head>\n<body>\n<main>\n");
        h.append("<h1>").append(esc(c.title())).append("</h1>\n");
        h.append("<p class=\"lead\">").append(String.format(Locale.ROOT, "%,d", e.n())).append(" images: ")
                .append(esc(e.subset())).append(". Generated ")
                .append(esc(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))).append(".</p>\n");
        for (String note : c.notes()) {
            h.append("<p class=\"note\">").append(esc(note)).append("</p>\n");
        }

        h.append("<nav><a href=\"#metrics\">Metrics</a> · <a href=\"#operating-point\">Operating point</a> · ")
                .append("<a href=\"#calibration\">Calibration</a> · <a href=\"#donors\">Donors</a> · ")
                .append("<a href=\"#figures\">Figures</a> · <a href=\"#top-losses\">Top losses</a> · ")
                .append("<a href=\"#model\">Model and provenance</a></nav>\n");

        metrics(h, e);
        operatingPoint(h, e);
        calibration(h, e);
        donors(h, e);

        h.append("<section id=\"figures\">\n<h2>Figures</h2>\n");
        for (Figure f : c.figures()) {
            figure(h, f, "chart");
        }
        h.append("</section>\n");

        h.append("<section id=\"top-losses\">\n<h2>Top losses</h2>\n<p>The images with the largest loss: confident "
                + "mistakes, and often mislabelled images. Each caption gives the predicted class, the actual "
                + "class, the loss and the probability of the actual class, and the file name. The Grad-CAM overlay shows where the evidence for the "
                + "predicted class lies (viridis: yellow is strongest).</p>\n");
        for (Figure f : c.grids()) {
            figure(h, f, "grid");
        }
        h.append("</section>\n");

        h.append("<section id=\"model\">\n<h2>Model and provenance</h2>\n");
        table(h, "Model", c.model());
        table(h, "Provenance", c.provenance());
        if (c.configuration() != null && !c.configuration().isBlank()) {
            h.append("<h3>Run configuration</h3>\n<pre>").append(esc(c.configuration())).append("</pre>\n");
        }
        h.append("</section>\n</main>\n</body>\n</html>\n");
        return h.toString();
    }

    private static void metrics(StringBuilder h, Evaluation e) {
        boolean tta = e.tta() != null;
        h.append("<section id=\"metrics\">\n<h2>Metrics</h2>\n");
        h.append("<p>Positive class <b>").append(esc(e.classes().get(e.positiveClass())))
                .append("</b>; an image is called positive when its probability is at or above ")
                .append(num(e.threshold(), 4)).append(" (temperature ").append(num(e.temperature(), 4))
                .append("). 95% intervals: Wilson score for proportions, percentile bootstrap (")
                .append(e.plain().bootstrap().resamples()).append(" resamples, seed ")
                .append(e.plain().bootstrap().seed()).append(") for F1, MCC, AUC, log loss and Brier.</p>\n");
        h.append("<table class=\"metrics\">\n<thead><tr><th>Metric</th><th>Plain</th><th>95% CI</th>");
        if (tta) {
            h.append("<th>TTA (8 views)</th><th>95% CI</th>");
        }
        h.append("</tr></thead>\n<tbody>\n");
        for (String name : Metrics.NAMES) {
            h.append("<tr><td>").append(esc(name.replace('_', ' '))).append("</td>");
            cells(h, e.plain().get(name));
            if (tta) {
                cells(h, e.tta().get(name));
            }
            h.append("</tr>\n");
        }
        h.append("</tbody></table>\n");
        confusionTable(h, e, "Confusion matrix (plain)", e.plain().confusion());
        if (tta) {
            confusionTable(h, e, "Confusion matrix (TTA)", e.tta().confusion());
        }
        h.append("</section>\n");
    }

    private static void confusionTable(StringBuilder h, Evaluation e, String title, Confusion c) {
        String p = esc(e.classes().get(e.positiveClass()));
        String n = esc(e.classes().get(1 - e.positiveClass()));
        h.append("<table class=\"confusion\"><caption>").append(esc(title))
                .append(": rows actual, columns predicted</caption>\n")
                .append("<tr><th></th><th>").append(p).append("</th><th>").append(n).append("</th></tr>\n")
                .append("<tr><th>").append(p).append("</th><td class=\"ok\">").append(c.truePositives())
                .append("</td><td class=\"bad\">").append(c.falseNegatives()).append("</td></tr>\n")
                .append("<tr><th>").append(n).append("</th><td class=\"bad\">").append(c.falsePositives())
                .append("</td><td class=\"ok\">").append(c.trueNegatives()).append("</td></tr>\n</table>\n");
    }

    private static void operatingPoint(StringBuilder h, Evaluation e) {
        h.append("<section id=\"operating-point\">\n<h2>Operating point</h2>\n");
        if (e.targetPoint() == null) {
            h.append("<p>No positive images: no sensitivity target can be met or measured.</p>\n</section>\n");
            return;
        }
        h.append("<p>The highest threshold at which sensitivity reaches ")
                .append(num(e.targetPoint().targetSensitivity(), 3))
                .append(". It is chosen on these images, so the sensitivity is met by construction; the "
                        + "specificity is the figure to read. A threshold for use should be chosen on validation "
                        + "images and checked on others.</p>\n");
        h.append("<table><thead><tr><th></th><th>Threshold</th><th>Sensitivity</th><th>Specificity</th>"
                + "<th>TP</th><th>FN</th><th>FP</th><th>TN</th></tr></thead><tbody>\n");
        opRow(h, "plain", e.targetPoint());
        if (e.targetPointTta() != null) {
            opRow(h, "TTA", e.targetPointTta());
        }
        h.append("</tbody></table>\n</section>\n");
    }

    private static void opRow(StringBuilder h, String label, OperatingPoint op) {
        Confusion c = op.confusion();
        h.append("<tr><td>").append(label).append("</td><td>").append(num(op.threshold(), 6)).append("</td><td>")
                .append(esc(EvaluationText.format(op.sensitivity()))).append("</td><td>")
                .append(esc(EvaluationText.format(op.specificity()))).append("</td><td>").append(c.truePositives())
                .append("</td><td>").append(c.falseNegatives()).append("</td><td>").append(c.falsePositives())
                .append("</td><td>").append(c.trueNegatives()).append("</td></tr>\n");
    }

    private static void calibration(StringBuilder h, Evaluation e) {
        Calibration.Reliability r = e.reliability();
        Calibration.TemperatureFit fit = e.temperatureFit();
        h.append("<section id=\"calibration\">\n<h2>Calibration</h2>\n");
        h.append("<p>Expected calibration error <b>").append(num(r.expectedCalibrationError(), 4))
                .append("</b>, maximum ").append(num(r.maximumCalibrationError(), 4))
                .append(" at the model's temperature ").append(num(e.temperature(), 4))
                .append(". Temperature scaling on these logits gives T = <b>").append(num(fit.temperature(), 4))
                .append("</b> (negative log-likelihood ").append(num(fit.nllBefore(), 4)).append(" at T = 1, ")
                .append(num(fit.nllAfter(), 4)).append(" fitted; ECE ")
                .append(num(e.reliabilityFitted().expectedCalibrationError(), 4))
                .append(" fitted, an optimistic figure as it is measured on the images it was fitted on).</p>\n");
        if (fit.atSearchLimit()) {
            h.append("<p class=\"note\">The fit stopped at the edge of the searched range [0.05, 20]: no single "
                    + "temperature calibrates these logits.</p>\n");
        }
        h.append("<table><thead><tr><th>Confidence</th><th>Images</th><th>Mean confidence</th><th>Accuracy</th>"
                + "</tr></thead><tbody>\n");
        for (Calibration.Bin bin : r.bins()) {
            if (bin.count() == 0) {
                continue;
            }
            h.append("<tr><td>(").append(num(bin.lower(), 1)).append(", ").append(num(bin.upper(), 1))
                    .append("]</td><td>").append(bin.count()).append("</td><td>").append(num(bin.meanConfidence(), 4))
                    .append("</td><td>").append(num(bin.accuracy(), 4)).append("</td></tr>\n");
        }
        h.append("</tbody></table>\n</section>\n");
    }

    private static void donors(StringBuilder h, Evaluation e) {
        List<DonorAccuracy> donors = e.donors();
        long perfect = donors.stream().filter(d -> d.correct() == d.images()).count();
        h.append("<section id=\"donors\">\n<h2>Donors</h2>\n<p>").append(donors.size()).append(" donors, ")
                .append(perfect).append(" classified without error. The worst ")
                .append(Math.min(EvaluationText.WORST_DONORS, donors.size())).append(":</p>\n");
        h.append("<table><thead><tr><th>Donor</th><th>Images</th><th>Correct</th><th>")
                .append(esc(e.classes().get(e.positiveClass())))
                .append("</th><th>Accuracy [95% CI]</th></tr></thead><tbody>\n");
        for (DonorAccuracy d : DonorAccuracy.worst(donors, EvaluationText.WORST_DONORS)) {
            h.append("<tr><td>").append(esc(d.donor())).append("</td><td>").append(d.images()).append("</td><td>")
                    .append(d.correct()).append("</td><td>").append(d.parasitized()).append("</td><td>")
                    .append(esc(EvaluationText.format(d.accuracy()))).append("</td></tr>\n");
        }
        h.append("</tbody></table>\n</section>\n");
    }

    private static void figure(StringBuilder h, Figure f, String kind) {
        h.append("<figure id=\"").append(esc(f.id())).append("\" class=\"").append(kind).append("\">\n")
                .append("<img alt=\"").append(esc(f.title())).append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(f.png())).append("\">\n")
                .append("<figcaption><b>").append(esc(f.title())).append(".</b> ").append(esc(f.caption()))
                .append("</figcaption>\n</figure>\n");
    }

    private static void table(StringBuilder h, String title, Map<String, String> rows) {
        h.append("<h3>").append(esc(title)).append("</h3>\n");
        if (rows.isEmpty()) {
            h.append("<p class=\"note\">None recorded in the model file.</p>\n");
            return;
        }
        h.append("<table class=\"facts\"><tbody>\n");
        rows.forEach((k, v) -> h.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v))
                .append("</td></tr>\n"));
        h.append("</tbody></table>\n");
    }

    private static void cells(StringBuilder h, Estimate e) {
        h.append("<td class=\"num\">").append(e.isDefined() ? num(e.value(), 4) : "undefined").append("</td>")
                .append("<td class=\"ci\">");
        if (e.isDefined() && !Double.isNaN(e.lo())) {
            h.append(num(e.lo(), 4)).append(" – ").append(num(e.hi(), 4));
        } else {
            h.append("—");
        }
        h.append("</td>");
    }

    private static String num(double v, int decimals) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** Escapes text for HTML element content and attribute values. */
    static String esc(String s) {
        return Html.escape(s);
    }

    private static final String CSS = Html.BASE_CSS + """
            .note { background: #fff8e1; border-left: 4px solid #f0b400; padding: 6px 10px; }
            td.num { text-align: right; font-variant-numeric: tabular-nums; font-weight: 600; }
            td.ci { color: #555; font-variant-numeric: tabular-nums; }
            table.confusion td { text-align: right; min-width: 6em; font-variant-numeric: tabular-nums; }
            table.confusion caption { text-align: left; font-weight: 600; }
            td.ok { background: #e8f4ea; }
            td.bad { background: #fbeaea; }
            table.facts th { background: #f7f7f7; width: 14em; }
            table.facts td { word-break: break-all; font-family: ui-monospace, "DejaVu Sans Mono", monospace;
                             font-size: 0.9em; }
            figure { margin: 1.5em 0; }
            figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
            figure.chart { display: inline-block; width: 48%; vertical-align: top; margin-right: 1%; }
            figcaption { font-size: 0.9em; color: #444; }
            pre { background: #f6f8fa; padding: 10px; overflow-x: auto; font-size: 0.85em; }
            @media (max-width: 800px) { figure.chart { width: 100%; } }
            """;
}
