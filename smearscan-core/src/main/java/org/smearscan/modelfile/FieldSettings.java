package org.smearscan.modelfile;

import java.util.List;
import java.util.Objects;
import org.smearscan.segment.SegmentationParameters;

/**
 * What a model trained on smear fields carries so that {@code screen} finds cells in new fields as they were
 * found in its training fields, and so that an evaluation can tell whether it is shown fields it learnt from.
 *
 * @param segmentation     how cells were found in the training fields
 * @param trainingFields   the names of the fields whose cells trained the network
 * @param validationFields the names of the fields that chose the best epoch and the threshold
 * @param stainNormalized  whether the crops were stain-normalised per field, so must be when screening (false in
 *                         files written before this existed)
 */
public record FieldSettings(SegmentationParameters segmentation, List<String> trainingFields,
        List<String> validationFields, boolean stainNormalized) {

    public FieldSettings {
        Objects.requireNonNull(segmentation, "segmentation");
        trainingFields = trainingFields == null ? List.of() : List.copyOf(trainingFields);
        validationFields = validationFields == null ? List.of() : List.copyOf(validationFields);
    }
}
