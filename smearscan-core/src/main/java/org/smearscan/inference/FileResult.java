package org.smearscan.inference;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The outcome for one file of a batch: a prediction, or the reason the file could not be classified.
 *
 * @param file       the input file
 * @param prediction present when the file was classified
 * @param error      present when it was not (unreadable, not an image, corrupt), naming the problem
 * @param heatmap    the Grad-CAM overlay written for it, when heatmaps were asked for
 */
public record FileResult(Path file, Optional<Prediction> prediction, Optional<String> error, Optional<Path> heatmap) {

    public static FileResult classified(Path file, Prediction prediction, Path heatmap) {
        return new FileResult(file, Optional.of(prediction), Optional.empty(), Optional.ofNullable(heatmap));
    }

    public static FileResult failed(Path file, String error) {
        return new FileResult(file, Optional.empty(), Optional.of(error), Optional.empty());
    }

    public boolean ok() {
        return prediction.isPresent();
    }
}
