package org.smearscan.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PredictionsTest {
    @Test
    void metricsCountTiedScoresAsHalfInTheAuc() {
        // Positive class 0. Scores for class 0: 0.8 (P), 0.8 (N), 0.5 (P), 0.5 (N), 0.5 (N), 0.2 (N) -> AUC 0.6875.
        float[][] p = {{0.8f, 0.2f}, {0.8f, 0.2f}, {0.5f, 0.5f}, {0.5f, 0.5f}, {0.5f, 0.5f}, {0.2f, 0.8f}};
        int[] labels = {0, 1, 0, 1, 1, 1};
        Predictions predictions = new Predictions(p, labels, new int[] {0, 1, 2, 3, 4, 5}, 0.4);
        EpochMetrics m = EpochMetrics.of(predictions, Metric.defaults(0));
        assertThat(m.auc()).isEqualTo(0.6875);
        // Arg-max (first class on a tie): right for images 0, 2 and 5.
        assertThat(m.accuracy()).isEqualTo(0.5);
        assertThat(m.validLoss()).isEqualTo(0.4);
        assertThat(m.count()).isEqualTo(6);
    }

    @Test
    void aucIsUndefinedWithOneClass() {
        float[][] p = {{0.9f, 0.1f}, {0.3f, 0.7f}};
        assertThat(new Predictions(p, new int[] {0, 0}, new int[] {0, 1}, 0.1).auc(0)).isNaN();
    }
}
