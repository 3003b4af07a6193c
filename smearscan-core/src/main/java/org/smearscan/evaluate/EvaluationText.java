package org.smearscan.evaluate;

import java.util.List;
import java.util.Locale;
import org.smearscan.stats.Estimate;

/** The plain-text account of an {@link Evaluation} that {@code smearscan evaluate} prints. */
public final class EvaluationText {
    /** Donors listed by name; the rest are summarised. */
    public static final int WORST_DONORS = 10;

    private EvaluationText() {}

    public static String render(Evaluation e) {
        StringBuilder out = new StringBuilder();
        String positive = e.classes().get(e.positiveClass());
        line(out, "Evaluated %,d images: %s", e.n(), e.subset());
        line(out, "Positive class %s; threshold %.4f; temperature %.4f; 95%% intervals (Wilson for proportions, "
                + "%d bootstrap resamples for the rest)", positive, e.threshold(), e.temperature(),
                e.plain().bootstrap().resamples());
        out.append('\n');
        boolean tta = e.tta() != null;
        line(out, "%-12s %-30s%s", "metric", "plain", tta ? "TTA (8 views)" : "");
        for (String name : Metrics.NAMES) {
            line(out, "%-12s %-30s%s", name, format(e.plain().get(name)), tta ? format(e.tta().get(name)) : "");
        }
        out.append('\n');
        confusion(out, e, "plain", e.plain().confusion());
        if (tta) {
            confusion(out, e, "TTA", e.tta().confusion());
        }
        if (e.targetPoint() != null) {
            operatingPoint(out, "plain", e.targetPoint());
            if (e.targetPointTta() != null) {
                operatingPoint(out, "TTA", e.targetPointTta());
            }
            line(out, "  (chosen on these images, so the sensitivity is met by construction; choose a threshold"
                    + " on validation images and check it on others)");
            out.append('\n');
        }
        Calibration.Reliability r = e.reliability();
        line(out, "Calibration at temperature %.4f: ECE %.4f, MCE %.4f (%d bins of the predicted class's "
                + "confidence)", e.temperature(), r.expectedCalibrationError(), r.maximumCalibrationError(),
                r.bins().size());
        Calibration.TemperatureFit fit = e.temperatureFit();
        line(out, "  Temperature fitted on these logits: %.4f (NLL %.4f at T=1, %.4f fitted; ECE %.4f fitted)",
                fit.temperature(), fit.nllBefore(), fit.nllAfter(),
                e.reliabilityFitted().expectedCalibrationError());
        if (fit.atSearchLimit()) {
            line(out, "  (the fit stopped at the edge of the searched range [%.2f, %.0f]: no single temperature"
                    + " calibrates these logits)", 0.05, 20.0);
        }
        line(out, "  %-13s %7s %16s %9s", "confidence", "images", "mean confidence", "accuracy");
        for (Calibration.Bin bin : r.bins()) {
            if (bin.count() > 0) {
                line(out, "  (%.1f, %.1f]    %7d %16.4f %9.4f", bin.lower(), bin.upper(), bin.count(),
                        bin.meanConfidence(), bin.accuracy());
            }
        }
        out.append('\n');
        List<DonorAccuracy> donors = e.donors();
        long perfect = donors.stream().filter(d -> d.correct() == d.images()).count();
        line(out, "Donors: %d, of which %d classified without error. Worst %d:", donors.size(), perfect,
                Math.min(WORST_DONORS, donors.size()));
        line(out, "  %-12s %7s %8s %12s  %s", "donor", "images", "correct", positive.toLowerCase(Locale.ROOT),
                "accuracy [95% CI]");
        for (DonorAccuracy d : DonorAccuracy.worst(donors, WORST_DONORS)) {
            line(out, "  %-12s %7d %8d %12d  %s", d.donor(), d.images(), d.correct(), d.parasitized(),
                    format(d.accuracy()));
        }
        return out.toString();
    }

    private static void confusion(StringBuilder out, Evaluation e, String label, Confusion c) {
        int pos = e.positiveClass();
        int neg = 1 - pos;
        String p = e.classes().get(pos);
        String n = e.classes().get(neg);
        int width = Math.max(12, Math.max(p.length(), n.length()) + 2);
        line(out, "Confusion matrix (%s), rows actual, columns predicted:", label);
        line(out, "  %-" + width + "s %" + width + "s %" + width + "s", "", p, n);
        line(out, "  %-" + width + "s %," + width + "d %," + width + "d", p, c.truePositives(), c.falseNegatives());
        line(out, "  %-" + width + "s %," + width + "d %," + width + "d", n, c.falsePositives(), c.trueNegatives());
        out.append('\n');
    }

    private static void operatingPoint(StringBuilder out, String label, OperatingPoint op) {
        line(out, "Operating point (%s) for sensitivity >= %.3f: threshold %.6f, sensitivity %s, specificity %s",
                label, op.targetSensitivity(), op.threshold(), format(op.sensitivity()), format(op.specificity()));
    }

    static String format(Estimate e) {
        if (!e.isDefined()) {
            return "undefined";
        }
        if (Double.isNaN(e.lo())) {
            return String.format(Locale.ROOT, "%.4f", e.value());
        }
        return String.format(Locale.ROOT, "%.4f [%.4f, %.4f]", e.value(), e.lo(), e.hi());
    }

    private static void line(StringBuilder out, String format, Object... args) {
        out.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}
