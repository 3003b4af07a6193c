package org.smearscan.stats;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Arrays;
import java.util.Objects;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;

/**
 * How unlike the training images an image is, from the network's features (the body's output, averaged over
 * the map): the Mahalanobis distance to the nearest class mean under one covariance that the classes share
 * (Lee et al. 2018, "A simple unified framework for detecting out-of-distribution samples"). The covariance is
 * kept as its largest principal directions plus one variance for all the others (probabilistic PCA), so that
 * it stays a few hundred kilobytes whatever the width of the features. The score is the squared distance
 * divided by the width: about 1 for images like the training ones (the mean of a chi-square over its degrees
 * of freedom), much larger for images unlike them. Images score above {@code threshold} are not judged.
 *
 * <p>Why this and not the logits (an energy or maximum-probability score): a two-class head answers with
 * confidence for inputs far from any cell, because nothing in training made it do otherwise; the features
 * still show that such an input lies far from where training images lie.
 *
 * @param means            class means, {@code [class][feature]}
 * @param components       principal directions of the within-class scatter, {@code [k][feature]}, unit length
 * @param variances        the variance along each direction
 * @param residualVariance the mean variance of the directions not kept
 * @param threshold        scores above it are out of distribution; NaN until {@link #withThreshold} sets it
 * @param fittedOn         what the distribution and the threshold were fitted on, in words
 */
public record FeatureDistance(float[][] means, float[][] components, double[] variances, double residualVariance,
        double threshold, String fittedOn) {

    /** Directions kept at most: 64 keep model.json under 0.5 MB for 512 features. */
    public static final int MAX_COMPONENTS = 64;

    public FeatureDistance {
        Objects.requireNonNull(means, "means");
        Objects.requireNonNull(components, "components");
        Objects.requireNonNull(variances, "variances");
        if (means.length == 0 || components.length != variances.length) {
            throw new IllegalArgumentException("a feature distance needs class means and one variance per direction");
        }
        int dim = means[0].length;
        for (float[] row : means) {
            if (row.length != dim) {
                throw new IllegalArgumentException("class means of different widths");
            }
        }
        for (float[] row : components) {
            if (row.length != dim) {
                throw new IllegalArgumentException("directions of another width than the means");
            }
        }
        if (!(residualVariance > 0)) {
            throw new IllegalArgumentException("residual variance must be positive, got " + residualVariance);
        }
    }

    /** Width of the features. */
    @JsonIgnore
    public int dim() {
        return means[0].length;
    }

    /** Squared Mahalanobis distance to the nearest class mean, divided by the width. */
    public double score(float[] features) {
        if (features.length != dim()) {
            throw new IllegalArgumentException(features.length + " features for a distance over " + dim());
        }
        double best = Double.POSITIVE_INFINITY;
        double[] d = new double[dim()];
        for (float[] mean : means) {
            double norm2 = 0;
            for (int j = 0; j < d.length; j++) {
                d[j] = features[j] - mean[j];
                norm2 += d[j] * d[j];
            }
            double inPlane = 0;
            double distance = 0;
            for (int i = 0; i < components.length; i++) {
                double p = 0;
                for (int j = 0; j < d.length; j++) {
                    p += components[i][j] * d[j];
                }
                inPlane += p * p;
                distance += p * p / variances[i];
            }
            distance += Math.max(0, norm2 - inPlane) / residualVariance;
            best = Math.min(best, distance);
        }
        return best / dim();
    }

    /** Whether a score lies beyond the threshold (never, while no threshold is set). */
    public boolean isOutside(double score) {
        return score > threshold;
    }

    public FeatureDistance withThreshold(double newThreshold, String newFittedOn) {
        return new FeatureDistance(means, components, variances, residualVariance, newThreshold, newFittedOn);
    }

    /**
     * Fits class means and the shared covariance on training features; the threshold is left unset (NaN): it
     * belongs to images the fit did not see ({@link #thresholdAt}).
     *
     * @param labels class index of each row of {@code features}
     */
    public static FeatureDistance fit(float[][] features, int[] labels, int classes, String fittedOn) {
        if (features.length != labels.length || features.length < 2) {
            throw new IllegalArgumentException("need at least 2 labelled feature rows, got " + features.length);
        }
        int dim = features[0].length;
        double[][] sums = new double[classes][dim];
        int[] counts = new int[classes];
        for (int i = 0; i < features.length; i++) {
            counts[labels[i]]++;
            for (int j = 0; j < dim; j++) {
                sums[labels[i]][j] += features[i][j];
            }
        }
        float[][] means = new float[classes][dim];
        int present = 0;
        for (int c = 0; c < classes; c++) {
            if (counts[c] > 0) {
                present++;
                for (int j = 0; j < dim; j++) {
                    means[c][j] = (float) (sums[c][j] / counts[c]);
                }
            }
        }
        float[][] kept = new float[present][];
        for (int c = 0, k = 0; c < classes; c++) {
            if (counts[c] > 0) {
                kept[k++] = means[c];
            }
        }
        double[][] scatter = new double[dim][dim];
        double[] d = new double[dim];
        for (int i = 0; i < features.length; i++) {
            for (int j = 0; j < dim; j++) {
                d[j] = features[i][j] - means[labels[i]][j];
            }
            for (int a = 0; a < dim; a++) {
                double da = d[a];
                double[] row = scatter[a];
                for (int b = a; b < dim; b++) {
                    row[b] += da * d[b];
                }
            }
        }
        int dof = Math.max(1, features.length - present);
        for (int a = 0; a < dim; a++) {
            for (int b = a; b < dim; b++) {
                scatter[a][b] /= dof;
                scatter[b][a] = scatter[a][b];
            }
        }
        RealMatrix covariance = new Array2DRowRealMatrix(scatter, false);
        EigenDecomposition eigen = new EigenDecomposition(covariance);
        double[] values = eigen.getRealEigenvalues();
        Integer[] order = new Integer[values.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Double.compare(values[y], values[x]));
        double trace = Arrays.stream(values).sum();
        double floor = Math.max(1e-12, 1e-6 * trace / dim); // a direction with no spread would divide by zero
        int k = Math.min(MAX_COMPONENTS, Math.max(0, dim - 1));
        float[][] components = new float[k][];
        double[] variances = new double[k];
        double keptVariance = 0;
        for (int i = 0; i < k; i++) {
            RealVector v = eigen.getEigenvector(order[i]);
            components[i] = new float[dim];
            for (int j = 0; j < dim; j++) {
                components[i][j] = (float) v.getEntry(j);
            }
            variances[i] = Math.max(floor, values[order[i]]);
            keptVariance += values[order[i]];
        }
        double residual = Math.max(floor, (trace - keptVariance) / Math.max(1, dim - k));
        return new FeatureDistance(kept, components, variances, residual, Double.NaN, fittedOn);
    }

    /**
     * The threshold that leaves {@code share} of these (in-distribution) images above it: the score at quantile
     * {@code 1 - share}, by the nearest-rank method.
     */
    public static double thresholdAt(double[] inDistributionScores, double share) {
        if (inDistributionScores.length == 0 || !(share >= 0 && share < 1)) {
            throw new IllegalArgumentException("need scores and a share in [0, 1)");
        }
        double[] sorted = inDistributionScores.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil((1 - share) * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureDistance f && Arrays.deepEquals(means, f.means)
                && Arrays.deepEquals(components, f.components) && Arrays.equals(variances, f.variances)
                && Double.compare(residualVariance, f.residualVariance) == 0 && Double.compare(threshold, f.threshold) == 0
                && Objects.equals(fittedOn, f.fittedOn);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.deepHashCode(means), Arrays.deepHashCode(components), Arrays.hashCode(variances),
                residualVariance, threshold, fittedOn);
    }

    @Override
    public String toString() {
        return "FeatureDistance[" + dim() + " features, " + components.length + " directions, threshold " + threshold
                + ", fitted on " + fittedOn + "]";
    }
}
