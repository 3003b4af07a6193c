package org.smearscan.evaluate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.smearscan.data.CellImage;
import org.smearscan.modelfile.ModelInfo;
import org.smearscan.modelfile.Provenance;
import org.smearscan.onnx.EmbeddedGraph;
import org.smearscan.stats.Estimate;

/**
 * A threshold per site: on a site's own labelled images, fits the temperature (the one that minimises their
 * negative log-likelihood) and chooses the highest threshold whose sensitivity on them reaches a target, and
 * writes both into a new model file whose provenance says on what, so that {@code predict}, {@code serve} and the
 * Java API use them and {@code evaluate} can tell, on other images, whether the sensitivity held.
 */
public final class SiteCalibration {
    /** Provenance keys of a calibrated model (in {@link Provenance#other()}). */
    public static final String TARGET = "calibration.target_sensitivity";
    public static final String DATA = "calibration.data";
    public static final String SUBSET = "calibration.subset";
    public static final String IMAGES = "calibration.images";
    public static final String POSITIVES = "calibration.positives";
    public static final String SOURCE_MODEL = "calibration.source_model";
    public static final String SENSITIVITY = "calibration.sensitivity";
    public static final String SPECIFICITY = "calibration.specificity";

    private SiteCalibration() {}

    /**
     * What calibration chose on its images.
     *
     * @param info  the source model's description with the new temperature, threshold and provenance
     * @param fit   the temperature and the negative log-likelihood before and after
     * @param point the threshold, and the sensitivity and specificity it gives on the calibration images
     */
    public record Result(ModelInfo info, Calibration.TemperatureFit fit, OperatingPoint point, int images) {}

    /** Fits temperature and threshold on the images {@code run} scored (plain scores, no TTA). */
    public static Result fit(EvaluationRun run, double targetSensitivity) {
        ModelInfo info = run.model().info();
        List<CellImage> images = run.subset().images();
        int positive = info.positiveClass();
        int[] labels = images.stream().mapToInt(CellImage::label).toArray();
        boolean[] isPositive = new boolean[labels.length];
        for (int i = 0; i < labels.length; i++) {
            isPositive[i] = labels[i] == positive;
        }
        Calibration.TemperatureFit fit = Calibration.fitTemperature(run.scores().logits(), labels);
        double[] p = run.scores().probabilities(positive, fit.temperature());
        OperatingPoint point = OperatingPoint.forSensitivity(p, isPositive, targetSensitivity);

        Map<String, String> other = new LinkedHashMap<>(info.provenance().other());
        other.put(TARGET, format(targetSensitivity));
        other.put(DATA, run.subset().images().isEmpty() ? "" : commonFolder(images));
        other.put(SUBSET, run.subset().description());
        other.put(IMAGES, Integer.toString(images.size()));
        other.put(POSITIVES, Long.toString(point.confusion().positives()));
        other.put(SOURCE_MODEL, run.model().id());
        other.put(SENSITIVITY, format(point.sensitivity().value()));
        other.put(SPECIFICITY, format(point.specificity().value()));
        ModelInfo calibrated = info.withTemperature(fit.temperature()).withThreshold(point.threshold())
                .withProvenance(info.provenance().withOther(other));
        return new Result(calibrated, fit, point, images.size());
    }

    /**
     * Writes the source model's network with the calibrated description to {@code target} (with its ONNX graph,
     * which carries the temperature and threshold too). Refuses to overwrite a file.
     */
    public static Path write(Path source, Path target, ModelInfo calibrated) throws IOException {
        if (Files.exists(target)) {
            throw new IOException(target + " already exists; choose another --out");
        }
        EmbeddedGraph.rewrite(source, target, calibrated);
        return target;
    }

    /**
     * For a calibrated model evaluated on other images: the target, and the sensitivity reached here at the
     * model's threshold with its 95% interval.
     */
    public record Check(double target, Estimate sensitivity, long positives) {
        /** met: the estimate reaches the target; within: below it, but the interval reaches it; below: neither. */
        public String verdict() {
            if (sensitivity.value() >= target) {
                return "met";
            }
            return sensitivity.hi() >= target ? "below the target, within the interval" : "below the target";
        }

        public String describe() {
            return String.format(Locale.ROOT, "calibrated for sensitivity %s: here %.4f [%.4f, %.4f] on %d infected"
                    + " images at the calibrated threshold: %s", format(target), sensitivity.value(), sensitivity.lo(),
                    sensitivity.hi(), positives, verdict());
        }
    }

    /**
     * The check, when the evaluated model was calibrated and was evaluated at its own threshold; empty
     * otherwise.
     */
    public static Optional<Check> check(ModelInfo info, Evaluation evaluation) {
        String target = info.provenance().other().get(TARGET);
        if (target == null || evaluation.thresholdPoint() == null
                || evaluation.thresholdPoint().threshold() != info.threshold()) { // another --threshold was asked for
            return Optional.empty();
        }
        OperatingPoint at = evaluation.thresholdPoint();
        return Optional.of(new Check(Double.parseDouble(target), at.sensitivity(), at.confusion().positives()));
    }

    private static String commonFolder(List<CellImage> images) {
        Path common = images.get(0).path().toAbsolutePath().getParent();
        for (CellImage image : images) {
            while (common != null && !image.path().toAbsolutePath().startsWith(common)) {
                common = common.getParent();
            }
        }
        return common == null ? "" : common.toString();
    }

    private static String format(double x) {
        return String.format(Locale.ROOT, "%.6g", x);
    }
}
