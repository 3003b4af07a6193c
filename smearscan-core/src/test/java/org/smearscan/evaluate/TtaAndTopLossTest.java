package org.smearscan.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.smearscan.data.Normalization;
import org.smearscan.data.Transforms;
import org.smearscan.inference.Tta;

class TtaAndTopLossTest {

    @Test
    void ttaAveragesTheViewsProbabilitiesNotTheirLogits() {
        // View A: logits (2, 0) -> p0 = e^2/(e^2+1) = 0.880797. View B: (0, 2) -> p0 = 0.119203.
        // Mean of probabilities 0.5 (averaging logits would give the same here, so add view C: (4, 0)
        // -> p0 = 0.982014; mean = (0.880797 + 0.119203 + 0.982014) / 3 = 0.660671).
        double[] p = Tta.meanProbabilities(new float[][] {{2, 0}, {0, 2}, {4, 0}}, 1.0);
        assertThat(p[0]).isCloseTo(0.660671, within(1e-6));
        assertThat(p[0] + p[1]).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void writesAllEightDihedralViewsInOrder() {
        int size = 3;
        byte[] hwc = new byte[size * size * 3];
        for (int i = 0; i < hwc.length; i++) {
            hwc[i] = (byte) (i * 7);
        }
        int floats = 3 * size * size;
        float[] all = new float[Tta.VIEWS * floats];
        Tta.writeViews(hwc, size, Normalization.IMAGENET, all, 0);
        java.util.Set<List<Float>> distinct = new java.util.HashSet<>();
        for (int v = 0; v < Tta.VIEWS; v++) {
            float[] one = new float[floats];
            Transforms.toNormalisedChw(hwc, size, v, Normalization.IMAGENET, one, 0);
            float[] written = java.util.Arrays.copyOfRange(all, v * floats, (v + 1) * floats);
            assertThat(written).containsExactly(one);
            List<Float> boxed = new java.util.ArrayList<>();
            for (float f : written) {
                boxed.add(f);
            }
            distinct.add(boxed);
        }
        // An asymmetric image looks different in each of the 8 views.
        assertThat(distinct).hasSize(8);
    }

    @Test
    void topLossesAreTheLargestCrossEntropiesWithTheirClasses() {
        // Label 0 throughout. Image 0: logits (0, 3): p(actual) = 1/(1+e^3) = 0.047426, loss 3.048587.
        // Image 1: (1, 0): p = 0.731059, loss 0.313262. Image 2: (0, 1): p = 0.268941, loss 1.313262.
        ModelScores scores = new ModelScores(new float[][] {{0, 3}, {1, 0}, {0, 1}}, null);
        List<TopLoss> top = TopLoss.of(scores, new int[] {0, 0, 0}, 1.0, 2);
        assertThat(top).extracting(TopLoss::index).containsExactly(0, 2);
        assertThat(top.get(0).loss()).isCloseTo(3.048587, within(1e-6));
        assertThat(top.get(0).predicted()).isEqualTo(1);
        assertThat(top.get(0).actual()).isZero();
        assertThat(top.get(0).probabilityOfActual()).isCloseTo(0.047426, within(1e-6));
        assertThat(top.get(1).loss()).isCloseTo(1.313262, within(1e-6));
        // Temperature 2 halves the logits: image 0's p(actual) = 1/(1+e^1.5) = 0.182426.
        assertThat(TopLoss.of(scores, new int[] {0, 0, 0}, 2.0, 1).get(0).probabilityOfActual())
                .isCloseTo(0.182426, within(1e-6));
    }

    @Test
    void scoresGiveProbabilitiesAtATemperatureAndPredictions() {
        ModelScores scores = new ModelScores(new float[][] {{2, 0}, {0, 1}}, null);
        assertThat(scores.probabilities(0, 1.0)[0]).isCloseTo(0.880797, within(1e-6));
        assertThat(scores.probabilities(0, 2.0)[0]).isCloseTo(0.731059, within(1e-6));
        assertThat(scores.predictedClasses()).containsExactly(0, 1);
        assertThat(scores.hasTta()).isFalse();
    }
}
