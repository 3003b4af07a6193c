package org.smearscan.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FeatureDistanceTest {
    private static final int DIM = 20;

    /** Two classes of correlated Gaussian features: a shared random mixing, class means 3 apart on one axis. */
    private static float[][] sample(Random rnd, int n, int[] labels, double[][] mixing) {
        float[][] rows = new float[n][DIM];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            double[] z = new double[DIM];
            for (int j = 0; j < DIM; j++) {
                z[j] = rnd.nextGaussian();
            }
            for (int a = 0; a < DIM; a++) {
                double v = labels[i] == 1 && a == 0 ? 3 : 0;
                for (int b = 0; b < DIM; b++) {
                    v += mixing[a][b] * z[b];
                }
                rows[i][a] = (float) v;
            }
        }
        return rows;
    }

    private static double[][] mixing(Random rnd) {
        double[][] m = new double[DIM][DIM];
        for (int a = 0; a < DIM; a++) {
            for (int b = 0; b < DIM; b++) {
                m[a][b] = (a == b ? 1 + a * 0.3 : 0) + 0.2 * rnd.nextGaussian();
            }
        }
        return m;
    }

    @Test
    void scoresTrainingLikeFeaturesNearOneAndFarFeaturesFarAbove() {
        Random rnd = new Random(1);
        double[][] mix = mixing(rnd);
        int[] labels = new int[4000];
        FeatureDistance d = FeatureDistance.fit(sample(rnd, 4000, labels, mix), labels, 2, "test");
        int[] heldLabels = new int[2000];
        float[][] held = sample(rnd, 2000, heldLabels, mix);
        double[] scores = Arrays.stream(held).mapToDouble(d::score).toArray();
        // a chi-square over its degrees of freedom: mean 1
        assertThat(Arrays.stream(scores).average().orElseThrow()).isCloseTo(1.0, within(0.1));

        // moved off the cloud: 15 along every axis, several standard deviations of the data in any direction
        float[] far = held[0].clone();
        for (int j = 0; j < DIM; j++) {
            far[j] += 15;
        }
        double threshold = FeatureDistance.thresholdAt(scores, 0.005);
        FeatureDistance withThreshold = d.withThreshold(threshold, "held");
        assertThat(Arrays.stream(scores).filter(withThreshold::isOutside).count()).isLessThanOrEqualTo(10);
        assertThat(withThreshold.isOutside(d.score(far))).isTrue();
        assertThat(withThreshold.isOutside(d.score(new float[DIM]))).as("the origin is the first class mean")
                .isFalse();
    }

    @Test
    void keepsAtMostSixtyFourDirectionsAndSurvivesJson() throws Exception {
        Random rnd = new Random(2);
        int dim = 100;
        float[][] rows = new float[300][dim];
        int[] labels = new int[300];
        for (int i = 0; i < rows.length; i++) {
            labels[i] = i % 2;
            for (int j = 0; j < dim; j++) {
                rows[i][j] = (float) rnd.nextGaussian();
            }
        }
        FeatureDistance d = FeatureDistance.fit(rows, labels, 2, "json").withThreshold(2.5, "json");
        assertThat(d.components()).hasNumberOfRows(FeatureDistance.MAX_COMPONENTS);
        assertThat(d.dim()).isEqualTo(dim);
        ObjectMapper json = new ObjectMapper();
        FeatureDistance back = json.readValue(json.writeValueAsString(d), FeatureDistance.class);
        assertThat(back).isEqualTo(d);
        assertThat(back.score(rows[5])).isEqualTo(d.score(rows[5]));
    }

    @Test
    void refusesFeaturesOfAnotherWidthAndEmptyInput() {
        Random rnd = new Random(3);
        int[] labels = new int[100];
        FeatureDistance d = FeatureDistance.fit(sample(rnd, 100, labels, mixing(rnd)), labels, 2, "x");
        assertThatThrownBy(() -> d.score(new float[DIM + 1])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FeatureDistance.thresholdAt(new double[0], 0.01))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(FeatureDistance.thresholdAt(new double[] {1, 2, 3, 4}, 0.25)).isEqualTo(3);
        assertThat(d.isOutside(1e9)).as("no threshold yet: nothing is outside").isFalse();
    }
}
