package org.smearscan.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.smearscan.data.CellImage;
import org.smearscan.data.Normalization;
import org.smearscan.data.ResizeMethod;
import org.smearscan.model.Architecture;
import org.smearscan.model.HeadType;
import org.smearscan.model.ModelSpec;
import org.smearscan.modelfile.ModelInfo;
import org.smearscan.modelfile.Provenance;
import org.smearscan.stats.Bootstrap;

class EvaluationTest {
    static final ModelInfo INFO = new ModelInfo(new ModelSpec(Architecture.COMPACT, HeadType.FASTAI, 2),
            List.of("Parasitized", "Uninfected"), 0, 64, ResizeMethod.SQUISH, Normalization.IMAGENET, 0.5, 2.0,
            Map.of(), Provenance.NONE);
    static final Evaluation.Settings SETTINGS = new Evaluation.Settings(Double.NaN, 0.98, new Bootstrap(100, 1));

    @Test
    void usesTheModelsTemperatureAndThresholdUnlessToldOtherwise() {
        // Logits (2, 0): p(Parasitized) = sigmoid(2 / T) = sigmoid(1) = 0.731059 at the model's T = 2.
        List<CellImage> images = List.of(new CellImage(Path.of("a.png"), 0, "P1"),
                new CellImage(Path.of("b.png"), 1, "C1"));
        ModelScores scores = new ModelScores(new float[][] {{2, 0}, {0, 0.2f}}, null);
        Evaluation e = Evaluation.of("two", images, INFO, scores, SETTINGS);
        assertThat(e.temperature()).isEqualTo(2.0);
        assertThat(e.threshold()).isEqualTo(0.5);
        // b: p = sigmoid(-0.1) = 0.475 < 0.5: called Uninfected, right.
        assertThat(e.plain().confusion()).isEqualTo(new Confusion(1, 0, 1, 0));
        // At threshold 0.45 b is called Parasitized.
        Evaluation strict = Evaluation.of("two", images, INFO, scores,
                new Evaluation.Settings(0.45, 0.98, new Bootstrap(100, 1)));
        assertThat(strict.plain().confusion()).isEqualTo(new Confusion(1, 1, 0, 0));
        assertThat(e.tta()).isNull();
    }

    @Test
    void oneClassOnlyStillGivesAReportWithTheUndefinedPartsLeftOut() throws Exception {
        List<CellImage> images = new ArrayList<>();
        float[][] logits = new float[6][];
        for (int i = 0; i < 6; i++) {
            images.add(new CellImage(Path.of("c" + i + ".png"), 1, "C" + (i % 2)));
            logits[i] = new float[] {i - 3f, 0};
        }
        Evaluation e = Evaluation.of("uninfected only", images, INFO, new ModelScores(logits, null), SETTINGS);
        assertThat(e.targetPoint()).isNull();
        assertThat(e.roc()).isNull();
        assertThat(e.plain().sensitivity().isDefined()).isFalse();
        String text = EvaluationText.render(e);
        assertThat(text).contains("sensitivity  undefined").doesNotContain("Operating point");
        String html = HtmlReport.render(new HtmlReport.Content("t", Map.of(), Map.of(), null, e, List.of(), List.of(),
                List.of()));
        assertThat(html).contains("No positive images");
        String json = new ObjectMapper().writeValueAsString(e.toJsonMap());
        assertThat(json).contains("\"sensitivity\":null").doesNotContain("NaN");
    }

    @Test
    void jsonCarriesTheSectionsBesideTheTopLevelMetrics() {
        List<CellImage> images = List.of(new CellImage(Path.of("a.png"), 0, "P1"),
                new CellImage(Path.of("b.png"), 1, "C1"), new CellImage(Path.of("c.png"), 0, "P1"));
        float[][] logits = {{2, 0}, {0, 1}, {-1, 0}};
        float[][][] views = {{{2, 0}}, {{0, 1}}, {{-1, 0}}};
        Map<String, Object> json = Evaluation.of("three", images, INFO, new ModelScores(logits, views), SETTINGS)
                .toJsonMap();
        assertThat(json).containsKeys("n", "accuracy_ci", "confusion", "tta", "operating_point", "operating_point_tta",
                "calibration", "donors", "subset", "positive_class", "temperature");
        assertThat(json.get("positive_class")).isEqualTo("Parasitized");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> donors = (List<Map<String, Object>>) json.get("donors");
        // P1: a right, c wrong (p = sigmoid(-0.5) < 0.5) -> worst; C1 right.
        assertThat(donors.get(0)).containsEntry("donor", "P1").containsEntry("images", 2).containsEntry("correct", 1);
    }

    @Test
    void refusesLabelsOutsideTheModelsClassesAndMismatchedLengths() {
        List<CellImage> bad = List.of(new CellImage(Path.of("x.png"), 2, "P1"));
        assertThatThrownBy(() -> Evaluation.of("bad", bad, INFO, new ModelScores(new float[][] {{0, 1}}, null),
                SETTINGS)).hasMessageContaining("x.png has label 2");
        assertThatThrownBy(() -> Evaluation.of("bad", List.of(), INFO, new ModelScores(new float[][] {{0, 1}}, null),
                SETTINGS)).hasMessageContaining("0 images but 1 scores");
        assertThatThrownBy(() -> new Evaluation.Settings(1.5, 0.98, Bootstrap.DEFAULT))
                .hasMessageContaining("threshold must be in [0, 1]");
    }
}
