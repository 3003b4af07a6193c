package org.smearscan.inference;

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
 */
public record Prediction(
        String label,
        int labelIndex,
        double probability,
        double parasitizedProbability,
        Map<String, Double> probabilities,
        double threshold,
        String modelId,
        boolean tta) {

    public Prediction {
        probabilities = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(probabilities));
    }

    /**
     * Applies the decision rule: the positive class when its probability reaches the threshold, otherwise
     * the most probable of the other classes. {@code probs} are already temperature-scaled.
     */
    static Prediction decide(double[] probs, ModelInfo info, String modelId, boolean tta) {
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
        return new Prediction(info.classes().get(label), label, probs[label], probs[positive], byName,
                info.threshold(), modelId, tta);
    }
}
