package org.smearscan.modelfile;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 * @param provenance    where the model came from: data, split, seed, configuration, software versions
 * @param ood           how far an image's features may lie from the training images' before the model does
 *                      not judge it ({@code null} for models trained without it); absent from model.json then, so
 *                      older files keep their bytes and their ids
 * @param fields        how to find cells in a smear field for this classifier ({@code null} for a model of
 *                      single-cell crops only); absent from model.json then, for the same reason
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
        Provenance provenance,
        @JsonInclude(JsonInclude.Include.NON_NULL) OutOfDistribution ood,
        @JsonInclude(JsonInclude.Include.NON_NULL) FieldSettings fields) {

    /** Rejects a description no network could be used with; a model file carrying one is refused as invalid. */
    @JsonCreator
    public ModelInfo {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(classes, "classes");
        Objects.requireNonNull(resize, "resize");
        Objects.requireNonNull(normalization, "normalization");
        classes = List.copyOf(classes);
        if (classes.size() != spec.numClasses()) {
            throw new IllegalArgumentException("there are " + classes.size() + " class names for a network with "
                    + spec.numClasses() + " outputs");
        }
        if (positiveClass < 0 || positiveClass >= classes.size()) {
            throw new IllegalArgumentException("positive class index " + positiveClass + " is not one of the "
                    + classes.size() + " classes");
        }
        if (imageSize < 8 || imageSize > 4096) {
            throw new IllegalArgumentException("image size " + imageSize + " is outside 8..4096 pixels");
        }
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold " + threshold + " is not a probability in [0, 1]");
        }
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature " + temperature + " is not a positive number");
        }
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
        provenance = provenance == null ? Provenance.NONE : provenance;
    }

    /** A description without an out-of-distribution score. */
    public ModelInfo(ModelSpec spec, List<String> classes, int positiveClass, int imageSize, ResizeMethod resize,
            Normalization normalization, double threshold, double temperature, Map<String, Double> metrics,
            Provenance provenance) {
        this(spec, classes, positiveClass, imageSize, resize, normalization, threshold, temperature, metrics,
                provenance, null, null);
    }

    /** A description without field settings. */
    public ModelInfo(ModelSpec spec, List<String> classes, int positiveClass, int imageSize, ResizeMethod resize,
            Normalization normalization, double threshold, double temperature, Map<String, Double> metrics,
            Provenance provenance, OutOfDistribution ood) {
        this(spec, classes, positiveClass, imageSize, resize, normalization, threshold, temperature, metrics,
                provenance, ood, null);
    }

    /** The name of the class a screening test looks for. */
    public String positiveClassName() {
        return classes.get(positiveClass);
    }

    public ModelInfo withThreshold(double newThreshold) {
        return new ModelInfo(spec, classes, positiveClass, imageSize, resize, normalization, newThreshold,
                temperature, metrics, provenance, ood, fields);
    }

    public ModelInfo withTemperature(double newTemperature) {
        return new ModelInfo(spec, classes, positiveClass, imageSize, resize, normalization, threshold,
                newTemperature, metrics, provenance, ood, fields);
    }

    public ModelInfo withProvenance(Provenance newProvenance) {
        return new ModelInfo(spec, classes, positiveClass, imageSize, resize, normalization, threshold,
                temperature, metrics, newProvenance, ood, fields);
    }

    public ModelInfo withOod(OutOfDistribution newOod) {
        return new ModelInfo(spec, classes, positiveClass, imageSize, resize, normalization, threshold,
                temperature, metrics, provenance, newOod, fields);
    }

    public ModelInfo withFields(FieldSettings newFields) {
        return new ModelInfo(spec, classes, positiveClass, imageSize, resize, normalization, threshold,
                temperature, metrics, provenance, ood, newFields);
    }

    /** Whether the model can screen whole smear fields, not only single-cell crops. */
    public boolean screensFields() {
        return fields != null;
    }
}
