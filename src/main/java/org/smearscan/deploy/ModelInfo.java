package org.smearscan.deploy;

import java.util.List;
import java.util.Map;
import org.smearscan.data.Normalization;
import org.smearscan.data.ResizeMethod;
import org.smearscan.model.ModelSpec;

/**
 * What a later stage needs to use a model without the training configuration: structure, input
 * preparation, decision rule and where the model came from.
 *
 * @param spec          the network structure
 * @param classes       class names, index = network output
 * @param positiveClass index of the class a screening test looks for (Parasitized)
 * @param imageSize     side of the square input in pixels
 * @param resize        how a crop becomes that square
 * @param normalization per-channel statistics applied after resizing
 * @param threshold     probability of the positive class at or above which an image is called positive
 * @param temperature   logits are divided by this before the softmax (1 = uncalibrated)
 * @param metrics       validation metrics at training time, by name
 * @param provenance    dataset fingerprint, split fingerprint, seed, configuration, software versions
 */
public record ModelInfo(
        ModelSpec spec,
        List<String> classes,
        int positiveClass,
        int imageSize,
        ResizeMethod resize,
        Normalization normalization,
        double threshold,
        double temperature,
        Map<String, Double> metrics,
        Map<String, String> provenance) {

    public ModelInfo {
        classes = List.copyOf(classes);
        metrics = Map.copyOf(metrics);
        provenance = Map.copyOf(provenance);
    }

    public ModelInfo withThreshold(double newThreshold) {
        return new ModelInfo(spec, classes, positiveClass, imageSize, resize, normalization, newThreshold,
                temperature, metrics, provenance);
    }

    public ModelInfo withTemperature(double newTemperature) {
        return new ModelInfo(spec, classes, positiveClass, imageSize, resize, normalization, threshold,
                newTemperature, metrics, provenance);
    }
}
