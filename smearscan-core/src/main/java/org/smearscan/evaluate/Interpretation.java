package org.smearscan.evaluate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.XYChart;
import org.smearscan.chart.Charts;
import org.smearscan.data.CellImage;
import org.smearscan.data.ImageDecoding;
import org.smearscan.data.Transforms;
import org.smearscan.data.UnreadableImageException;
import org.smearscan.inference.GradCam;
import org.smearscan.io.AtomicFiles;
import org.smearscan.io.RunFolder;
import org.smearscan.model.CellNet;
import org.smearscan.modelfile.ModelInfo;

/**
 * What {@code smearscan interpret} writes: the top losses as a grid and again with Grad-CAM overlays,
 * every chart as a PNG, the evaluation as JSON, and one self-contained HTML report with all of it.
 */
public final class Interpretation {
    public static final int DEFAULT_K = 16;
    public static final String REPORT = "report.html";
    /** Grad-CAM inputs per forward pass: the backward pass keeps every activation of the head. */
    private static final int GRADCAM_BATCH = 16;
    private static final int GRID_COLUMNS = 4;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Interpretation() {}

    /**
     * The model and the images it was evaluated on.
     *
     * @param modelFile     where the model came from (for the report)
     * @param modelSha256   the model file's checksum
     * @param net           the network, for Grad-CAM
     * @param info          the model's description
     * @param images        the evaluated images, in the order of {@code scores}
     * @param scores        the model's logits for them
     * @param evaluation    the measurements on them
     * @param history       the training run's logs (may be empty)
     * @param configuration the run's configuration text, or null
     * @param runFolder     the training run's folder (for the charts training drew), or null
     * @param manager       the manager the network's parameters live in
     */
    public record Inputs(Path modelFile, String modelSha256, CellNet net, ModelInfo info, List<CellImage> images,
            ModelScores scores, Evaluation evaluation, TrainingHistory history, String configuration, Path runFolder,
            NDManager manager) {}

    /** The report and every file written beside it. */
    public record Result(Path report, List<Path> files, List<TopLoss> topLosses) {}

    /** The two top-loss grids: the images as they are, and with Grad-CAM overlays for the predicted class. */
    public record Grids(BufferedImage plain, BufferedImage gradCam) {}

    public static Result write(Path dir, Inputs in, int k) throws IOException, UnreadableImageException {
        if (k < 1) {
            throw new IllegalArgumentException("--k must be at least 1, got " + k);
        }
        List<Path> files = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Evaluation e = in.evaluation();
        int[] labels = in.images().stream().mapToInt(CellImage::label).toArray();
        List<TopLoss> top = TopLoss.of(in.scores(), labels, in.info().temperature(), k);
        Grids grids = topLossGrids(in.net(), in.info(), in.images(), top, in.manager());

        List<HtmlReport.Figure> figures = new ArrayList<>();
        figures.add(save(dir, files, "confusion_matrix", "Confusion matrix",
                "Counts at threshold " + fmt(e.threshold()) + ", plain scores.",
                Charts.png(ReportCharts.confusionMatrix(e.classes(), e.positiveClass(), e.plain().confusion(),
                        "Confusion matrix (threshold " + fmt(e.threshold()) + ")"))));
        if (e.roc() != null) {
            List<OperatingPoint> points = new ArrayList<>();
            List<String> labelsOfPoints = new ArrayList<>();
            points.add(e.thresholdPoint());
            labelsOfPoints.add("threshold " + fmt(e.threshold()));
            if (e.targetPoint() != null) {
                points.add(e.targetPoint());
                labelsOfPoints.add("sensitivity >= " + fmt(e.targetPoint().targetSensitivity()) + " (threshold "
                        + fmt(e.targetPoint().threshold()) + ")");
            }
            figures.add(save(dir, files, "roc", "ROC curve",
                    "Plain scores; the markers are the decision threshold and the operating point.",
                    Charts.png(ReportCharts.roc(e.roc(), e.plain().auc().value(), points, labelsOfPoints))));
        } else {
            notes.add("No ROC curve: the images hold only one class.");
        }
        figures.add(save(dir, files, "reliability", "Reliability diagram",
                "Accuracy against confidence of the predicted class, 10 bins, at the model's temperature.",
                Charts.png(ReportCharts.reliability(e.reliability(),
                        "Reliability (T = " + fmt(e.temperature()) + ")"))));
        trainingCharts(dir, files, figures, notes, in);

        List<HtmlReport.Figure> gridFigures = new ArrayList<>();
        gridFigures.add(save(dir, files, "top_losses", "Top " + top.size() + " losses",
                "Predicted and actual class, loss, probability of the actual class, file.", ImageGrid.png(grids.plain())));
        gridFigures.add(save(dir, files, "top_losses_gradcam", "Top " + top.size() + " losses with Grad-CAM",
                "Heatmap of the evidence for the predicted class.", ImageGrid.png(grids.gradCam())));

        Path json = dir.resolve("evaluation.json");
        AtomicFiles.write(json, JSON.writeValueAsBytes(e.toJsonMap()));
        files.add(json);

        HtmlReport.Content content = new HtmlReport.Content("SmearScan report: " + in.modelFile().getFileName(),
                modelFacts(in), new TreeMap<>(in.info().provenance().asMap()), in.configuration(), e, figures, gridFigures,
                notes);
        Path report = dir.resolve(REPORT);
        HtmlReport.write(report, content);
        files.add(report);
        return new Result(report, List.copyOf(files), top);
    }

    /**
     * Loss and schedule charts: the per-batch charts training drew into its run folder, else drawn here
     * from the per-epoch history.
     */
    private static void trainingCharts(Path dir, List<Path> files, List<HtmlReport.Figure> figures, List<String> notes,
            Inputs in) throws IOException {
        TrainingHistory history = in.history();
        byte[] loss = trainingPngOrChart(in.runFolder(), RunFolder.LOSS_PLOT, ReportCharts.lossCurves(history));
        byte[] schedule = trainingPngOrChart(in.runFolder(), RunFolder.SCHEDULE_PLOT, ReportCharts.schedule(history));
        if (loss != null) {
            figures.add(save(dir, files, "loss_curves", "Loss curves", "Training and validation loss of the run.", loss));
        }
        if (schedule != null) {
            figures.add(save(dir, files, "schedule", "Schedule", "Learning rate and momentum over training.",
                    schedule));
        }
        if (loss == null && schedule == null) {
            notes.add("No training curves: no " + RunFolder.HISTORY_CSV + " beside the model.");
        }
    }

    private static byte[] trainingPngOrChart(Path runFolder, String trainingPng, XYChart chart) throws IOException {
        if (runFolder != null && java.nio.file.Files.isRegularFile(runFolder.resolve(trainingPng))) {
            return java.nio.file.Files.readAllBytes(runFolder.resolve(trainingPng));
        }
        return chart == null ? null : Charts.png(chart);
    }

    /** Top-loss grids with captions; the Grad-CAM one shows the evidence for the predicted class. */
    public static Grids topLossGrids(CellNet net, ModelInfo info, List<CellImage> images, List<TopLoss> top,
            NDManager manager) throws UnreadableImageException {
        int size = info.imageSize();
        int imageFloats = 3 * size * size;
        List<ImageGrid.Tile> plain = new ArrayList<>();
        List<ImageGrid.Tile> overlaid = new ArrayList<>();
        for (int start = 0; start < top.size(); start += GRADCAM_BATCH) {
            List<TopLoss> chunk = top.subList(start, Math.min(top.size(), start + GRADCAM_BATCH));
            float[] pixels = new float[chunk.size() * imageFloats];
            List<BufferedImage> originals = new ArrayList<>();
            List<BufferedImage> seen = new ArrayList<>();
            int[] targets = new int[chunk.size()];
            for (int i = 0; i < chunk.size(); i++) {
                BufferedImage original = ImageDecoding.read(images.get(chunk.get(i).index()).path());
                byte[] hwc = Transforms.resizeToRgb(original, size, info.resize());
                Transforms.toNormalisedChw(hwc, size, 0, info.normalization(), pixels, i * imageFloats);
                originals.add(original);
                seen.add(fromHwc(hwc, size));
                targets[i] = chunk.get(i).predicted();
            }
            float[][][] heat;
            try (NDManager batch = manager.newSubManager()) {
                NDArray x = batch.create(pixels, new Shape(chunk.size(), 3, size, size));
                heat = GradCam.heatmaps(net, x, targets);
            }
            for (int i = 0; i < chunk.size(); i++) {
                List<String> caption = caption(info, images.get(chunk.get(i).index()), chunk.get(i));
                plain.add(new ImageGrid.Tile(originals.get(i), caption));
                overlaid.add(new ImageGrid.Tile(GradCam.overlay(seen.get(i), heat[i]), caption));
            }
        }
        return new Grids(ImageGrid.render(plain, GRID_COLUMNS, ImageGrid.DEFAULT_TILE),
                ImageGrid.render(overlaid, GRID_COLUMNS, ImageGrid.DEFAULT_TILE));
    }

    private static List<String> caption(ModelInfo info, CellImage image, TopLoss t) {
        return List.of(
                "predicted " + info.classes().get(t.predicted()),
                "actual " + info.classes().get(t.actual()),
                String.format(Locale.ROOT, "loss %.2f  p(actual) %.3g", t.loss(), t.probabilityOfActual()),
                image.path().getFileName().toString());
    }

    private static BufferedImage fromHwc(byte[] hwc, int size) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < size * size; i++) {
            int rgb = ((hwc[3 * i] & 0xff) << 16) | ((hwc[3 * i + 1] & 0xff) << 8) | (hwc[3 * i + 2] & 0xff);
            img.setRGB(i % size, i / size, rgb);
        }
        return img;
    }

    private static HtmlReport.Figure save(Path dir, List<Path> files, String id, String title, String caption,
            byte[] png) throws IOException {
        Path file = dir.resolve(id + ".png");
        AtomicFiles.write(file, png);
        files.add(file);
        return new HtmlReport.Figure(id, title, caption, png);
    }

    private static Map<String, String> modelFacts(Inputs in) {
        ModelInfo info = in.info();
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("file", in.modelFile().toAbsolutePath().toString());
        facts.put("sha256", in.modelSha256());
        facts.put("architecture", info.spec().architecture().cliName());
        facts.put("head", info.spec().head().name().toLowerCase(Locale.ROOT));
        facts.put("classes", String.join(", ", info.classes()));
        facts.put("positive class", info.classes().get(info.positiveClass()));
        facts.put("input", info.imageSize() + " px, " + info.resize().name().toLowerCase(Locale.ROOT));
        facts.put("normalisation", "mean " + Arrays.toString(info.normalization().mean()) + ", std "
                + Arrays.toString(info.normalization().std()));
        facts.put("threshold (stored)", fmt(info.threshold()));
        facts.put("temperature (stored)", fmt(info.temperature()));
        new TreeMap<>(info.metrics()).forEach((name, value) -> facts.put("training metric: " + name, fmt(value)));
        return facts;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
