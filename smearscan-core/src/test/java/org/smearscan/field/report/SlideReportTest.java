package org.smearscan.field.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.smearscan.field.ScreenRun;

class SlideReportTest {
    private final ScreenRun run = ScreenRuns.twoSlides();
    private final Map<Path, String> overlays = Map.of(Path.of("s1/a.png"), "overlays/a.png",
            Path.of("s1/b.png"), "overlays/b.png", Path.of("s2/d.png"), "overlays/d.png");

    @Test
    void eachSlideHasItsCountsFieldsAndInfectedGalleryMostProbableFirst() {
        List<GalleryCell> gallery = List.of(
                new GalleryCell("s1", "s1/a.png", "gallery/a-cell7.png", "overlays/a.png", 0.61),
                new GalleryCell("s1", "s1/a.png", "gallery/a-cell8.png", "overlays/a.png", 0.97),
                new GalleryCell("s1", "s1/b.png", "gallery/b-cell2.png", "overlays/b.png", 0.75));
        String html = SlideReport.render(run, overlays, gallery);

        assertThat(html).startsWith("<!DOCTYPE html>").contains("<style>").doesNotContain("<script", "data:image");
        String s1 = section(html, "slide-1");
        assertThat(s1).contains("<h2>s1</h2>", "Fields screened</th><td>2", "Fields not screened</th><td>1",
                "Red cells counted</th><td>18", "Infected</th><td>2", "11.11%", "(95% CI [",
                "<a href=\"overlays/a.png\">s1/a.png</a>", "s1/c.png is not an image");
        assertThat(images(s1)).containsExactly("gallery/a-cell8.png", "gallery/b-cell2.png", "gallery/a-cell7.png");
        assertThat(probabilities(s1)).containsExactly(0.97, 0.75, 0.61);

        String s2 = section(html, "slide-2");
        assertThat(s2).contains("No cell of this slide was called infected", "n/a",
                "s2/tiny, &quot;small&quot;.png");
        assertThat(html).contains("<h2>Not screened</h2>").contains("<nav>");
    }

    @Test
    void namesAreEscaped() {
        String html = SlideReport.render(run, overlays, List.of(
                new GalleryCell("s1", "<b>x</b>.png", "gallery/x.png", "overlays/x.png", 0.9)));
        assertThat(html).contains("&lt;b&gt;x&lt;/b&gt;.png").doesNotContain("<b>x</b>");
    }

    static String section(String html, String id) {
        int start = html.indexOf("<section class=\"slide\" id=\"" + id + "\">");
        assertThat(start).as(id).isNotNegative();
        return html.substring(start, html.indexOf("</section>", start));
    }

    static List<String> images(String html) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<img src=\"([^\"]+)\"").matcher(html);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    static List<Double> probabilities(String html) {
        List<Double> out = new ArrayList<>();
        Matcher m = Pattern.compile("data-probability=\"([0-9.]+)\"").matcher(html);
        while (m.find()) {
            out.add(Double.parseDouble(m.group(1)));
        }
        return out;
    }
}
