package org.smearscan.evaluate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.smearscan.data.CellImage;
import org.smearscan.modelfile.ModelInfo;
import org.smearscan.stats.Bootstrap;

/**
 * Everything {@code evaluate} measures on one set of images. Probabilities use the model's stored
 * temperature, as deployment does. Metrics and the operating point come plain and, when scored with TTA,
 * averaged over the 8 views; calibration, donors and the ROC curve use the plain scores (a temperature is
 * a property of logits, and TTA has none).
 *
 * @param subset            which images these are, in words (e.g. the validation side of a split file)
 * @param classes           class names, indexed like the labels
 * @param positiveClass     the class a screening test looks for
 * @param temperature       the model's stored temperature, applied to every probability here
 * @param plain             metrics of the image as it is
 * @param tta               metrics over the 8 dihedral views, or null without TTA
 * @param thresholdPoint    sensitivity and specificity at the decision threshold (plain)
 * @param targetPoint       the highest threshold reaching the target sensitivity (plain)
 * @param targetPointTta    the same with TTA, or null
 * @param reliability       reliability table at the stored temperature
 * @param temperatureFit    the temperature these images' logits call for (fit on validation images only)
 * @param reliabilityFitted reliability table at the fitted temperature (optimistic: fitted on the same images)
 * @param donors            accuracy per donor, worst first
 * @param roc               ROC curve of the plain scores
 */
public record Evaluation(
        String subset,
        List<String> classes,
        int positiveClass,
        double temperature,
        Metrics plain,
        Metrics tta,
        OperatingPoint thresholdPoint,
        OperatingPoint targetPoint,
        OperatingPoint targetPointTta,
        Calibration.Reliability reliability,
        Calibration.TemperatureFit temperatureFit,
        Calibration.Reliability reliabilityFitted,
        List<DonorAccuracy> donors,
        RocCurve roc) {

    /**
     * What to measure.
     *
     * @param threshold         decision threshold; NaN to use the model's
     * @param targetSensitivity sensitivity the operating point must reach
     * @param bootstrap         how bootstrap intervals are drawn
     */
    public record Settings(double threshold, double targetSensitivity, Bootstrap bootstrap) {
        public static final Settings DEFAULT =
                new Settings(Double.NaN, OperatingPoint.DEFAULT_TARGET_SENSITIVITY, Bootstrap.DEFAULT);

        public Settings {
            if (!Double.isNaN(threshold) && !(threshold >= 0 && threshold <= 1)) {
                throw new IllegalArgumentException("threshold must be in [0, 1], got " + threshold);
            }
            if (!(targetSensitivity > 0 && targetSensitivity <= 1)) {
                throw new IllegalArgumentException("target sensitivity must be in (0, 1], got " + targetSensitivity);
            }
        }

        double thresholdFor(ModelInfo info) {
            return Double.isNaN(threshold) ? info.threshold() : threshold;
        }
    }

    public static Evaluation of(String subset, List<CellImage> images, ModelInfo info, ModelScores scores,
            Settings settings) {
        if (images.size() != scores.size()) {
            throw new IllegalArgumentException(images.size() + " images but " + scores.size() + " scores");
        }
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no images to evaluate in " + subset);
        }
        int positive = info.positiveClass();
        int[] labels = images.stream().mapToInt(CellImage::label).toArray();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= info.classes().size()) {
                throw new IllegalArgumentException(images.get(i).path() + " has label " + labels[i]
                        + ", outside the model's classes " + info.classes());
            }
        }
        boolean[] isPositive = Metrics.isPositive(labels, positive);
        double threshold = settings.thresholdFor(info);
        double[] p = scores.probabilities(positive, info.temperature());
        Metrics plain = Metrics.compute(p, isPositive, threshold, settings.bootstrap());
        Metrics tta = null;
        OperatingPoint targetTta = null;
        boolean bothClasses = plain.confusion().positives() > 0 && plain.confusion().negatives() > 0;
        if (scores.hasTta()) {
            double[] pTta = scores.ttaProbabilities(positive, info.temperature());
            tta = Metrics.compute(pTta, isPositive, threshold, settings.bootstrap());
            targetTta = plain.confusion().positives() > 0
                    ? OperatingPoint.forSensitivity(pTta, isPositive, settings.targetSensitivity()) : null;
        }
        OperatingPoint target = plain.confusion().positives() > 0
                ? OperatingPoint.forSensitivity(p, isPositive, settings.targetSensitivity()) : null;
        Calibration.TemperatureFit fit = Calibration.fitTemperature(scores.logits(), labels);
        List<String> donors = new ArrayList<>(images.size());
        for (CellImage image : images) {
            donors.add(image.donor());
        }
        return new Evaluation(subset, info.classes(), positive, info.temperature(), plain, tta,
                OperatingPoint.at(p, isPositive, threshold), target, targetTta,
                Calibration.reliability(p, isPositive),
                fit,
                Calibration.reliability(scores.probabilities(positive, fit.temperature()), isPositive),
                DonorAccuracy.table(donors, p, isPositive, threshold),
                bothClasses ? RocCurve.of(p, isPositive) : null);
    }

    public int n() {
        return plain.n();
    }

    public double threshold() {
        return plain.threshold();
    }

    /**
     * The JSON object {@code evaluate --json} prints: the plain metrics at the top level ({@code n}, each
     * figure and {@code <name>_ci}, {@code confusion}), then the context and the other sections.
     */
    public Map<String, Object> toJsonMap() {
        Map<String, Object> json = new LinkedHashMap<>(plain.toJsonMap());
        json.put("subset", subset);
        json.put("positive_class", classes.get(positiveClass));
        json.put("temperature", temperature);
        json.put("bootstrap_resamples", plain.bootstrap().resamples());
        if (tta != null) {
            json.put("tta", tta.toJsonMap());
        }
        if (targetPoint != null) {
            json.put("operating_point", operatingPointJson(targetPoint));
        }
        if (targetPointTta != null) {
            json.put("operating_point_tta", operatingPointJson(targetPointTta));
        }
        Map<String, Object> calibration = new LinkedHashMap<>();
        calibration.put("ece", Metrics.finiteOrNull(reliability.expectedCalibrationError()));
        calibration.put("mce", Metrics.finiteOrNull(reliability.maximumCalibrationError()));
        calibration.put("fitted_temperature", temperatureFit.temperature());
        calibration.put("fitted_temperature_at_search_limit", temperatureFit.atSearchLimit());
        calibration.put("nll_at_t1", temperatureFit.nllBefore());
        calibration.put("nll_at_fitted", temperatureFit.nllAfter());
        calibration.put("ece_at_fitted", Metrics.finiteOrNull(reliabilityFitted.expectedCalibrationError()));
        List<Map<String, Object>> bins = new ArrayList<>();
        for (Calibration.Bin bin : reliability.bins()) {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("lower", bin.lower());
            b.put("upper", bin.upper());
            b.put("count", bin.count());
            b.put("mean_confidence", Metrics.finiteOrNull(bin.meanConfidence()));
            b.put("accuracy", Metrics.finiteOrNull(bin.accuracy()));
            bins.add(b);
        }
        calibration.put("bins", bins);
        json.put("calibration", calibration);
        List<Map<String, Object>> donorRows = new ArrayList<>();
        for (DonorAccuracy d : donors) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("donor", d.donor());
            row.put("images", d.images());
            row.put("correct", d.correct());
            row.put("parasitized", d.parasitized());
            row.put("accuracy", d.accuracy().value());
            row.put("accuracy_ci", new Double[] {d.accuracy().lo(), d.accuracy().hi()});
            donorRows.add(row);
        }
        json.put("donors", donorRows);
        return json;
    }

    private static Map<String, Object> operatingPointJson(OperatingPoint op) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("target_sensitivity", Metrics.finiteOrNull(op.targetSensitivity()));
        json.put("threshold", op.threshold());
        json.put("sensitivity", Metrics.finiteOrNull(op.sensitivity().value()));
        json.put("sensitivity_ci", new Double[] {Metrics.finiteOrNull(op.sensitivity().lo()),
                Metrics.finiteOrNull(op.sensitivity().hi())});
        json.put("specificity", Metrics.finiteOrNull(op.specificity().value()));
        json.put("specificity_ci", new Double[] {Metrics.finiteOrNull(op.specificity().lo()),
                Metrics.finiteOrNull(op.specificity().hi())});
        return json;
    }
}
