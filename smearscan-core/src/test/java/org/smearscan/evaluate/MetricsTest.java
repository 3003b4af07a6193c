package org.smearscan.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.smearscan.stats.Bootstrap;
import org.smearscan.stats.Estimate;

class MetricsTest {
    /*
     * Ten images, threshold 0.5 (P = parasitized, the positive class):
     *   p:     0.90 0.80 0.70 0.60 0.55 0.40 0.30 0.20 0.10 0.05
     *   truth: P    P    N    P    N    P    N    N    N    N
     *   call:  +    +    +    +    +    -    -    -    -    -
     * TP = 3 (0.9, 0.8, 0.6), FP = 2 (0.7, 0.55), FN = 1 (0.4), TN = 4.
     */
    static final double[] P = {0.90, 0.80, 0.70, 0.60, 0.55, 0.40, 0.30, 0.20, 0.10, 0.05};
    static final boolean[] Y = {true, true, false, true, false, true, false, false, false, false};

    @Test
    void confusionAndProportionsMatchTheHandCount() {
        Metrics m = Metrics.compute(P, Y, 0.5);
        assertThat(m.confusion()).isEqualTo(new Confusion(3, 2, 4, 1));
        assertThat(m.n()).isEqualTo(10);
        assertThat(m.accuracy().value()).isEqualTo(0.7);
        assertThat(m.errorRate().value()).isCloseTo(0.3, within(1e-12));
        assertThat(m.sensitivity().value()).isEqualTo(0.75);
        assertThat(m.specificity().value()).isCloseTo(4.0 / 6, within(1e-12));
        assertThat(m.precision().value()).isEqualTo(0.6);
        // Wilson intervals: 7/10 -> [0.396778, 0.892209]; 3/4 -> [0.300642, 0.954413];
        // 4/6 -> [0.299993, 0.903229]; 3/5 -> [0.230724, 0.882379]; 3/10 -> [0.107791, 0.603222].
        assertThat(m.accuracy().lo()).isCloseTo(0.396778, within(1e-6));
        assertThat(m.accuracy().hi()).isCloseTo(0.892209, within(1e-6));
        assertThat(m.sensitivity().lo()).isCloseTo(0.300642, within(1e-6));
        assertThat(m.sensitivity().hi()).isCloseTo(0.954413, within(1e-6));
        assertThat(m.specificity().lo()).isCloseTo(0.299993, within(1e-6));
        assertThat(m.specificity().hi()).isCloseTo(0.903229, within(1e-6));
        assertThat(m.precision().lo()).isCloseTo(0.230724, within(1e-6));
        assertThat(m.precision().hi()).isCloseTo(0.882379, within(1e-6));
        assertThat(m.errorRate().lo()).isCloseTo(0.107791, within(1e-6));
        assertThat(m.errorRate().hi()).isCloseTo(0.603222, within(1e-6));
    }

    @Test
    void f1AndMatthewsCorrelationMatchTheHandCount() {
        Metrics m = Metrics.compute(P, Y, 0.5);
        // F1 = 2TP / (2TP + FP + FN) = 6 / 9.
        assertThat(m.f1().value()).isCloseTo(6.0 / 9, within(1e-12));
        // MCC = (TP*TN - FP*FN) / sqrt((TP+FP)(TP+FN)(TN+FP)(TN+FN)) = (12 - 2) / sqrt(5*4*6*5) = 10/sqrt(600).
        assertThat(m.mcc().value()).isCloseTo(0.408248, within(1e-6));
    }

    @Test
    void aucCountsCorrectlyOrderedPairs() {
        // Positives 0.9, 0.8, 0.6, 0.4 against 6 negatives: above 6, 6, 5 (all but 0.7) and 4 -> 21/24.
        assertThat(Metrics.compute(P, Y, 0.5).auc().value()).isCloseTo(0.875, within(1e-12));
    }

    @Test
    void aucCountsTiesAsHalf() {
        // Positive 0.8: tie with negative 0.8 (1/2) + above 0.5, 0.5, 0.2 (3) = 3.5.
        // Positive 0.5: below 0.8 (0) + ties with two 0.5 (1/2 + 1/2) + above 0.2 (1) = 2.
        // AUC = 5.5 / (2 * 4) = 0.6875; the trapezoid area of the ROC curve agrees.
        double[] p = {0.8, 0.8, 0.5, 0.5, 0.5, 0.2};
        boolean[] y = {true, false, true, false, false, false};
        assertThat(Metrics.compute(p, y, 0.5).auc().value()).isEqualTo(0.6875);
        assertThat(trapezoidArea(RocCurve.of(p, y))).isCloseTo(0.6875, within(1e-12));
    }

    /** The area under the curve's points by the trapezoid rule. */
    private static double trapezoidArea(RocCurve roc) {
        double[] x = roc.falsePositiveRate();
        double[] y = roc.truePositiveRate();
        double area = 0;
        for (int k = 1; k < x.length; k++) {
            area += (x[k] - x[k - 1]) * (y[k] + y[k - 1]) / 2;
        }
        return area;
    }

    @Test
    void logLossAndBrierMatchTheHandComputation() {
        // Log loss = -(ln 0.9 + ln 0.8 + ln 0.4 + ln 0.3) / 4
        //          = (0.105361 + 0.223144 + 0.916291 + 1.203973) / 4 = 0.612192.
        // Brier = ((0.9-1)² + (0.2-0)² + (0.6-0)² + (0.3-1)²) / 4 = (0.01 + 0.04 + 0.36 + 0.49) / 4 = 0.225.
        double[] p = {0.9, 0.2, 0.6, 0.3};
        boolean[] y = {true, false, false, true};
        Metrics m = Metrics.compute(p, y, 0.5);
        assertThat(m.logLoss().value()).isCloseTo(0.612192, within(1e-6));
        assertThat(m.brier().value()).isCloseTo(0.225, within(1e-12));
    }

    @Test
    void logLossOfACertainMistakeIsLargeButFinite() {
        // p = 0 for a positive is clipped to 1e-15: -ln(1e-15) / 2 = 17.27.
        Metrics m = Metrics.compute(new double[] {0.0, 0.0}, new boolean[] {true, false}, 0.5);
        assertThat(m.logLoss().value()).isCloseTo(-Math.log(1e-15) / 2, within(1e-6));
    }

    @Test
    void bootstrapIntervalsAreReproducibleAndBracketThePointEstimate() {
        Metrics a = Metrics.compute(P, Y, 0.5, new Bootstrap(500, 7));
        Metrics b = Metrics.compute(P, Y, 0.5, new Bootstrap(500, 7));
        assertThat(a).isEqualTo(b);
        for (String name : new String[] {"f1", "mcc", "auc", "log_loss", "brier"}) {
            Estimate e = a.get(name);
            assertThat(e.lo()).as(name).isLessThanOrEqualTo(e.value());
            assertThat(e.hi()).as(name).isGreaterThanOrEqualTo(e.value());
            assertThat(e.hi()).as(name).isGreaterThan(e.lo());
        }
    }

    @Test
    void bootstrapIntervalOfAPerfectRankingIsDegenerate() {
        // Every resample that holds both classes still ranks them perfectly: AUC is 1 in all of them.
        double[] p = {0.9, 0.8, 0.7, 0.3, 0.2, 0.1};
        boolean[] y = {true, true, true, false, false, false};
        Estimate auc = Metrics.compute(p, y, 0.5).auc();
        assertThat(auc).isEqualTo(new Estimate(1, 1, 1));
    }

    @Test
    void bootstrapIntervalsNarrowWithMoreImages() {
        java.util.Random rnd = new java.util.Random(3);
        double[] small = new double[50];
        boolean[] smallY = new boolean[50];
        double[] large = new double[5000];
        boolean[] largeY = new boolean[5000];
        for (int i = 0; i < large.length; i++) {
            largeY[i] = rnd.nextBoolean();
            large[i] = Math.min(1, Math.max(0, (largeY[i] ? 0.65 : 0.35) + 0.25 * rnd.nextGaussian()));
            if (i < small.length) {
                small[i] = large[i];
                smallY[i] = largeY[i];
            }
        }
        Estimate wide = Metrics.compute(small, smallY, 0.5).auc();
        Estimate narrow = Metrics.compute(large, largeY, 0.5).auc();
        assertThat(narrow.hi() - narrow.lo()).isLessThan((wide.hi() - wide.lo()) / 4);
    }

    @Test
    void undefinedFiguresAreNaNAndNullInJson() {
        // No positive image: sensitivity, AUC and MCC are undefined, not 0 or 1.
        Metrics m = Metrics.compute(new double[] {0.2, 0.7}, new boolean[] {false, false}, 0.5);
        assertThat(m.sensitivity().isDefined()).isFalse();
        assertThat(m.auc().isDefined()).isFalse();
        assertThat(m.mcc().isDefined()).isFalse();
        Map<String, Object> json = m.toJsonMap();
        assertThat(json.get("auc")).isNull();
        assertThat((Double[]) json.get("auc_ci")).containsExactly(null, null);
        assertThat(json.get("specificity")).isEqualTo(0.5);
    }

    @Test
    void jsonHoldsEveryFigureWithItsInterval() {
        Map<String, Object> json = Metrics.compute(P, Y, 0.5).toJsonMap();
        assertThat(json).containsKeys("n", "accuracy", "sensitivity", "specificity", "precision", "f1", "mcc",
                "auc", "log_loss", "brier", "accuracy_ci", "sensitivity_ci", "specificity_ci", "precision_ci",
                "f1_ci", "mcc_ci", "auc_ci", "log_loss_ci", "brier_ci", "confusion");
        assertThat(json.get("confusion")).isEqualTo(Map.of("tp", 3L, "fn", 1L, "fp", 2L, "tn", 4L));
    }

    @Test
    void labelsAreTurnedIntoTruthsByThePositiveClass() {
        // NIH order: Parasitized = 0 (positive), Uninfected = 1.
        assertThat(Metrics.isPositive(new int[] {0, 1, 1, 0}, 0)).containsExactly(true, false, false, true);
    }

    @Test
    void badInputIsRefusedWithAClearMessage() {
        assertThatThrownBy(() -> Metrics.compute(new double[] {0.5}, new boolean[] {true, false}, 0.5))
                .hasMessageContaining("1 probabilities but 2 labels");
        assertThatThrownBy(() -> Metrics.compute(new double[] {1.5}, new boolean[] {true}, 0.5))
                .hasMessageContaining("outside [0, 1]");
        assertThatThrownBy(() -> Metrics.compute(new double[0], new boolean[0], 0.5))
                .hasMessageContaining("no predictions");
    }
}
