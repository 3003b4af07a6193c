package org.smearscan.modelfile;

import java.util.Objects;
import org.smearscan.stats.FeatureDistance;

/**
 * A model's out-of-distribution score, stored in model.json: two distances from the training images, each with
 * its own threshold: one over the network's features (what the image looks like to the model) and one over a
 * few pixel statistics ({@link org.smearscan.data.PixelStatistics}: what kind of picture it is). The score is the
 * larger of the two distances in units of its threshold, so 1 is the border: above it, the image is not one the
 * model can judge. Each threshold leaves a quarter of a percent of validation images above it, so together they
 * leave at most half a percent.
 *
 * @param features distance over the body's features averaged over the map
 * @param pixels   distance over the pixel statistics
 * @param fittedOn on what both were fitted, in words
 */
public record OutOfDistribution(FeatureDistance features, FeatureDistance pixels, String fittedOn) {
    /** Scores above this are out of distribution. */
    public static final double THRESHOLD = 1.0;

    public OutOfDistribution {
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(pixels, "pixels");
        if (!(features.threshold() > 0) || !(pixels.threshold() > 0)) {
            throw new IllegalArgumentException("both distances need a positive threshold");
        }
    }

    /**
     * The score of an image: the larger distance over its threshold. {@code features} may be null (an engine
     * that cannot give them): the pixel distance alone then decides.
     */
    public double score(float[] features, float[] pixelStatistics) {
        double pixel = pixels.score(pixelStatistics) / pixels.threshold();
        return features == null ? pixel : Math.max(pixel, this.features.score(features) / this.features.threshold());
    }

    public boolean isOutside(double score) {
        return score > THRESHOLD;
    }
}
