package org.smearscan.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.smearscan.inference.Softmax;

class CalibrationTest {

    @Test
    void expectedCalibrationErrorMatchesTheHandComputation() {
        /*
         * Confidence is that of the predicted class:
         *   p = 0.95 (pos, truth pos) -> conf 0.95, right     bin (0.9, 1.0]
         *   p = 0.92 (pos, truth neg) -> conf 0.92, wrong     bin (0.9, 1.0]
         *   p = 0.15 (neg, truth neg) -> conf 0.85, right     bin (0.8, 0.9]
         *   p = 0.35 (neg, truth pos) -> conf 0.65, wrong     bin (0.6, 0.7]
         *   p = 0.62 (pos, truth pos) -> conf 0.62, right     bin (0.6, 0.7]
         * Bin (0.9,1]: conf 0.935, acc 0.5, gap 0.435, weight 2/5 -> 0.174
         * Bin (0.8,0.9]: conf 0.85, acc 1, gap 0.15, weight 1/5 -> 0.03
         * Bin (0.6,0.7]: conf 0.635, acc 0.5, gap 0.135, weight 2/5 -> 0.054
         * ECE = 0.258; MCE = 0.435.
         */
        double[] p = {0.95, 0.92, 0.15, 0.35, 0.62};
        boolean[] y = {true, false, false, true, true};
        Calibration.Reliability r = Calibration.reliability(p, y, 10);
        assertThat(r.expectedCalibrationError()).isCloseTo(0.258, within(1e-9));
        assertThat(r.maximumCalibrationError()).isCloseTo(0.435, within(1e-9));
        Calibration.Bin top = r.bins().get(9);
        assertThat(top.count()).isEqualTo(2);
        assertThat(top.meanConfidence()).isCloseTo(0.935, within(1e-12));
        assertThat(top.accuracy()).isEqualTo(0.5);
        assertThat(r.bins().get(6).count()).isEqualTo(2);
        assertThat(r.bins().get(0).count()).isZero();
        assertThat(r.bins().get(0).accuracy()).isNaN();
    }

    @Test
    void temperatureFitRecoversTheTemperatureThatGeneratedTheLabels() {
        // Labels drawn from softmax(z / 2.5): the NLL-minimising temperature should be close to 2.5.
        Random rnd = new Random(11);
        int n = 20_000;
        float[][] logits = new float[n][];
        int[] labels = new int[n];
        double trueTemperature = 2.5;
        for (int i = 0; i < n; i++) {
            float z = (float) (6 * rnd.nextGaussian());
            logits[i] = new float[] {z, -z};
            double p0 = Softmax.of(logits[i], trueTemperature)[0];
            labels[i] = rnd.nextDouble() < p0 ? 0 : 1;
        }
        Calibration.TemperatureFit fit = Calibration.fitTemperature(logits, labels);
        assertThat(fit.temperature()).isCloseTo(trueTemperature, within(0.15));
        assertThat(fit.nllAfter()).isLessThan(fit.nllBefore());
    }

    @Test
    void aWellCalibratedModelKeepsATemperatureNearOne() {
        Random rnd = new Random(5);
        int n = 20_000;
        float[][] logits = new float[n][];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            float a = (float) (2 * rnd.nextGaussian());
            float b = (float) (2 * rnd.nextGaussian());
            logits[i] = new float[] {a, b};
            labels[i] = rnd.nextDouble() < Softmax.of(logits[i], 1)[0] ? 0 : 1;
        }
        assertThat(Calibration.fitTemperature(logits, labels).temperature()).isCloseTo(1.0, within(0.08));
    }

    @Test
    void softmaxIsStableForLargeLogits() {
        double[] p = Softmax.of(new float[] {1000f, 998f}, 1);
        // e^2 / (e^2 + 1) = 0.880797.
        assertThat(p[0]).isCloseTo(0.880797, within(1e-6));
        assertThat(p[0] + p[1]).isCloseTo(1, within(1e-12));
        // Temperature 2 halves the gap: e^1 / (e^1 + 1) = 0.731059.
        assertThat(Softmax.of(new float[] {1000f, 998f}, 2)[0]).isCloseTo(0.731059, within(1e-6));
    }

    @Test
    void aFitThatRunsIntoTheSearchLimitSaysSo() {
        // Perfectly separated, every label right: the NLL keeps falling as T shrinks, down to the limit.
        float[][] logits = {{3, -3}, {-2, 2}, {4, 0}};
        Calibration.TemperatureFit fit = Calibration.fitTemperature(logits, new int[] {0, 1, 0});
        assertThat(fit.temperature()).isCloseTo(Calibration.MIN_TEMPERATURE, within(1e-4));
        assertThat(fit.atSearchLimit()).isTrue();
        // Logits (1, 0) four times, right three times: the best p is 3/4 = sigmoid(1/T), so T = 1/ln 3 = 0.910239.
        Calibration.TemperatureFit inside = Calibration.fitTemperature(
                new float[][] {{1, 0}, {1, 0}, {1, 0}, {1, 0}}, new int[] {0, 0, 0, 1});
        assertThat(inside.temperature()).isCloseTo(0.910239, within(1e-5));
        assertThat(inside.atSearchLimit()).isFalse();
    }
}
