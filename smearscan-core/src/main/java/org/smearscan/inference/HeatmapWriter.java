package org.smearscan.inference;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Writes a Grad-CAM overlay for each image of a classified batch, for {@link ScreeningPipeline}. */
public interface HeatmapWriter {
    /**
     * @param files       where each image came from (names the output)
     * @param originals   the decoded images, which the heatmap is drawn over
     * @param prepared    the images as the network saw them ({@link CellClassifier#prepare})
     * @param predictions each image's prediction; the heatmap explains the predicted class
     * @return the file written for each image, in order
     */
    List<Path> write(CellClassifier classifier, List<Path> files, List<BufferedImage> originals,
            List<byte[]> prepared, List<Prediction> predictions) throws IOException;
}
