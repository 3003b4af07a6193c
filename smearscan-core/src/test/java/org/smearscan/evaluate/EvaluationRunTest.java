package org.smearscan.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smearscan.data.CellDataset;
import org.smearscan.data.CellImage;
import org.smearscan.data.SplitFile;
import org.smearscan.inference.CellClassifier;
import org.smearscan.stats.Bootstrap;
import org.smearscan.testing.SyntheticCells;

class EvaluationRunTest {
    @TempDir
    static Path dir;
    static RunFixtures.Run run;

    @BeforeAll
    static void createRun() throws IOException {
        run = RunFixtures.create(dir, 20);
    }

    private static EvaluationRun.Request request(Path splitFile, Path data, boolean all, boolean tta) {
        return new EvaluationRun.Request(run.model(), data, splitFile, all, tta,
                new Evaluation.Settings(Double.NaN, 0.98, new Bootstrap(200, 1)), 64, false);
    }

    @Test
    void scoresTheValidationSideOfTheSplitBesideTheModel() throws Exception {
        List<String> warnings = new ArrayList<>();
        try (EvaluationRun r = EvaluationRun.run(request(null, run.data(), false, true), warnings::add)) {
            SplitFile split = SplitFile.read(run.splitFile());
            Set<String> validNames = split.paths(SplitFile.VALID).stream()
                    .map(p -> p.substring(p.lastIndexOf('/') + 1)).collect(Collectors.toSet());
            assertThat(r.subset().images()).hasSize(validNames.size());
            assertThat(r.subset().images()).allMatch(i -> validNames.contains(i.path().getFileName().toString()));
            assertThat(r.subset().description()).contains("validation side of").contains("split.tsv");
            Evaluation e = r.evaluation();
            assertThat(e.n()).isEqualTo(validNames.size());
            assertThat(e.tta()).isNotNull();
            assertThat(r.scores().hasTta()).isTrue();
            // View 0 of TTA is the image as it is: the plain logits are its logits.
            for (int i = 0; i < r.scores().size(); i++) {
                assertThat(r.scores().viewLogits()[i][0]).containsExactly(r.scores().logits()[i]);
            }
            assertThat(warnings).isEmpty();
        }
    }

    @Test
    void plainScoresMatchAForwardPassOfEachImageAlone() throws Exception {
        try (EvaluationRun r = EvaluationRun.run(request(run.splitFile(), run.data(), false, false), m -> { })) {
            CellClassifier classifier = CellClassifier.of(r.model(), r.manager());
            CellImage first = r.subset().images().get(0);
            ModelScores alone = EvaluationRun.score(classifier, List.of(first.path()), false, 8, false);
            assertThat(alone.logits()[0][0]).isCloseTo(r.scores().logits()[0][0], within(1e-4f));
            assertThat(alone.logits()[0][1]).isCloseTo(r.scores().logits()[0][1], within(1e-4f));
        }
    }

    @Test
    void allRefusesADataSetHoldingTrainingImages() {
        assertThatThrownBy(() -> EvaluationRun.run(request(null, run.data(), true, false), m -> { }))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("are training images of this model")
                .hasMessageContaining("by class and file name");
    }

    @Test
    void allRefusesARenamedCopyOfATrainingImageByContent() throws Exception {
        SplitFile split = SplitFile.read(run.splitFile());
        String trainPath = split.paths(SplitFile.TRAIN).iterator().next();
        Path other = dir.resolve("renamed");
        Path target = Files.createDirectories(other.resolve(trainPath.substring(0, trainPath.indexOf('/'))))
                .resolve("C999P999ThinF_IMG_copy_cell_1.png");
        Files.copy(run.data().resolve(trainPath), target);
        TrainingOverlap overlap = TrainingOverlap.check(split, run.splitFile(), CellDataset.scan(other), false);
        assertThat(overlap.sameName()).isEmpty();
        assertThat(overlap.contentChecked()).isTrue();
        assertThat(overlap.sameContent()).extracting(CellImage::path).containsExactly(target.toAbsolutePath());
        assertThatThrownBy(() -> EvaluationRun.run(request(null, other, true, false), m -> { }))
                .hasMessageContaining("1 by content");
    }

    @Test
    void allScoresImagesTheModelNeverSaw() throws Exception {
        // Other names and other pixels (another seed); the donor ids repeat, which is reported, not refused.
        Path unseen = dir.resolve("unseen");
        Path tmp = SyntheticCells.writeDataset(dir.resolve("unseen-src"), 20, 99);
        for (String cls : RunFixtures.CLASSES) {
            Path out = Files.createDirectories(unseen.resolve(cls));
            try (var files = Files.list(tmp.resolve(cls))) {
                for (Path f : files.toList()) {
                    Files.copy(f, out.resolve(f.getFileName().toString().replace(".png", "_new.png")));
                }
            }
        }
        List<String> warnings = new ArrayList<>();
        try (EvaluationRun r = EvaluationRun.run(request(null, unseen, true, false), warnings::add)) {
            assertThat(r.evaluation().n()).isEqualTo(40);
            assertThat(r.subset().description()).contains("none of them a training image");
        }
        assertThat(warnings).anyMatch(w -> w.contains("also gave training images"));
    }

    @Test
    void aSplitFileThatIsNotTheModelsIsRefused() throws Exception {
        Path other = dir.resolve("other-split.tsv");
        Files.writeString(other, Files.readString(run.splitFile()).replace("seed=42", "seed=43"));
        assertThatThrownBy(() -> EvaluationRun.run(request(other, run.data(), false, false), m -> { }))
                .hasMessageContaining("is not the split this model was trained with");
    }

    @Test
    void aMissingModelOrSplitFileIsNamed() {
        Path missing = dir.resolve("nope.smear");
        assertThatThrownBy(() -> EvaluationRun.run(new EvaluationRun.Request(missing, run.data(), null, false, false,
                Evaluation.Settings.DEFAULT, 64, false), m -> { })).hasMessageContaining("nope.smear");
        assertThatThrownBy(() -> EvaluationRun.run(request(dir.resolve("nope.tsv"), run.data(), false, false), m -> { }))
                .hasMessageContaining("nope.tsv: no such split file");
    }

    @Test
    void interpretationWritesEveryFileAndAReportThatInlinesThem() throws Exception {
        Path out = dir.resolve("report");
        // Training's own per-batch loss chart is preferred to one drawn from the per-epoch history.
        byte[] trainingLossPng = ImageGrid.png(SyntheticCells.cell(new java.util.Random(1), true, 50, 40));
        Files.write(run.runFolder().resolve("loss.png"), trainingLossPng);
        try (EvaluationRun r = EvaluationRun.run(request(null, run.data(), false, true), m -> { })) {
            Interpretation.Result result = Interpretation.write(out, r.interpretationInputs(), 6);
            assertThat(result.topLosses()).hasSize(6);
            assertThat(result.topLosses().get(0).loss()).isGreaterThanOrEqualTo(result.topLosses().get(5).loss());
            for (String name : List.of("top_losses.png", "top_losses_gradcam.png", "confusion_matrix.png", "roc.png",
                    "reliability.png", "loss_curves.png", "schedule.png", "evaluation.json", "report.html")) {
                assertThat(out.resolve(name)).as(name).isRegularFile();
            }
            assertThat(Files.readAllBytes(out.resolve("loss_curves.png"))).isEqualTo(trainingLossPng);
            BufferedImage grid = ImageIO.read(out.resolve("top_losses_gradcam.png").toFile());
            assertThat(grid.getWidth()).isGreaterThan(4 * ImageGrid.DEFAULT_TILE);
            String html = Files.readString(result.report());
            assertThat(html).contains("data:image/png;base64,").doesNotContain("src=\"http").doesNotContain("<script");
            // Every figure written is also in the page.
            assertThat(html.split("<img ", -1)).hasSize(8);
            assertThat(html).contains("&quot;architecture&quot;: &quot;compact&quot;").contains("split_sha256");
            try (var listing = Files.list(out)) {
                assertThat(listing.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
            }
        }
    }
}
