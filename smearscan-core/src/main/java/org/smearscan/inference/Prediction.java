package org.smearscan.inference;

import java.util.Locale;
import java.util.Map;
import org.smearscan.modelfile.ModelFile;
import org.smearscan.modelfile.ModelInfo;

/**
 * One image's classification.
 *
 * @param label                  the predicted class name
 * @param labelIndex             its index in {@link ModelInfo#classes()}
 * @param probability            probability of the predicted class
 * @param parasitizedProbability probability of the positive class (Parasitized), the one the threshold applies to
 * @param probabilities          every class's probability, in class order
 * @param threshold              the decision threshold that was applied to {@code parasitizedProbability}
 * @param modelId                the model that made the call (see {@link ModelFile#idOf})
 * @param tta                    whether the probabilities average the 8 dihedral views
 * @param oodScore               how unlike the training images the image is, in units of the model's threshold
 *                               (see {@link org.smearscan.modelfile.OutOfDistribution}): above 1 it is not judged;
 *                               NaN when the model has no such score
 * @param status                 {@link Status#NOT_A_CELL} when the score lies beyond the model's threshold: the
 *                               image is not something the model can judge, and its label must not be used
 */
public record Prediction(
        String label,
        int labelIndex,
        double probability,
        double parasitizedProbability,
        Map<String, Double> probabilities,
        double threshold,
        String modelId,
        boolean tta,
        double oodScore,
        Status status) {

    /** Whether the model can judge the image. */
    public enum Status {
        /** A red-cell crop like those the model was trained on. */
        OK,
        /** Not a cell the model can judge (a field, a white cell, background, debris, text, anything else). */
        NOT_A_CELL;

        /** The name in csv and json output: {@code ok}, {@code not_a_cell}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A call without an out-of-distribution score (a model trained without one). */
    public Prediction(String label, int labelIndex, double probability, double parasitizedProbability,
            Map<String, Double> probabilities, double threshold, String modelId, boolean tta) {
        this(label, labelIndex, probability, parasitizedProbability, probabilities, threshold, modelId, tta,
                Double.NaN, Status.OK);
    }

    /** Whether the image is a cell the model can judge, so that its label means something. */
    public boolean isJudged() {
        return status == Status.OK;
    }

    /** The label as outputs show it: null for an image the model does not judge. */
    public String judgedLabel() {
        return isJudged() ? label : null;
    }

    /** The out-of-distribution score as outputs show it: null for a model without one. */
    public Double oodScoreOrNull() {
        return Double.isNaN(oodScore) ? null : oodScore;
    }

    public Prediction {
        probabilities = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(probabilities));
    }

    /**
     * Applies the decision rule: the positive class when its probability reaches the threshold, otherwise
     * the most probable of the other classes. {@code probs} are already temperature-scaled.
     */
    static Prediction decide(double[] probs, ModelInfo info, String modelId, boolean tta, double oodScore) {
        int positive = info.positiveClass();
        int label;
        if (probs[positive] >= info.threshold()) {
            label = positive;
        } else {
            label = -1;
            for (int c = 0; c < probs.length; c++) {
                if (c != positive && (label < 0 || probs[c] > probs[label])) {
                    label = c;
                }
            }
        }
        Map<String, Double> byName = new java.util.LinkedHashMap<>();
        for (int c = 0; c < probs.length; c++) {
            byName.put(info.classes().get(c), probs[c]);
        }
        Status status = info.ood() != null && info.ood().isOutside(oodScore) ? Status.NOT_A_CELL : Status.OK;
        return new Prediction(info.classes().get(label), label, probs[label], probs[positive], byName,
                info.threshold(), modelId, tta, oodScore, status);
    }
}
