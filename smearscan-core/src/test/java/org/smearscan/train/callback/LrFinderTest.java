package org.smearscan.train.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smearscan.model.CellNet;
import org.smearscan.testing.TrainFixtures;
import org.smearscan.train.Learner;
import org.smearscan.train.LearningRates;
import org.smearscan.train.WeightSnapshot;
import org.smearscan.train.run.TrainingCharts;

class LrFinderTest {

    @Test
    void sweepStopsWhenTheLossDivergesAndPutsEverythingBack(@TempDir Path dir) throws Exception {
        TrainFixtures.Images data = TrainFixtures.cells(64, 16, 4);
        try (NDManager manager = NDManager.newBaseManager()) {
            CellNet net = TrainFixtures.compact(manager, 16, 1);
            try (Learner learner = Learner.builder(net, manager).train(data.training(8, 1))
                    .valid(data.validation(32)).build()) {
                learner.fitOneCycle(1, LearningRates.single(1e-3)); // some optimizer state to restore
                WeightSnapshot weightsBefore = learner.weights();
                byte[] optimizerBefore = learner.optimizerState();
                int epochBefore = learner.epoch();
                int callbacksBefore = learner.callbacks().size();
                float[] logBefore = learner.recorder().losses();

                // 1e-4 to 1e4 over 60 batches: the loss must blow up well before the end
                LrFinder.Result result = new LrFinder(1e-4, 1e4, 60, true).run(learner);

                assertThat(result.diverged()).isTrue();
                assertThat(result.learningRates().length).isLessThan(60);
                double[] losses = result.smoothLosses();
                double bestBeforeLast = Double.POSITIVE_INFINITY;
                for (int i = 0; i < losses.length - 1; i++) {
                    bestBeforeLast = Math.min(bestBeforeLast, losses[i]);
                    assertThat(losses[i]).as("no earlier point broke the rule").isLessThanOrEqualTo(4 * bestBeforeLast);
                }
                double last = losses[losses.length - 1];
                assertThat(Double.isNaN(last) || last > 4 * Math.min(bestBeforeLast, last)).isTrue();
                // the rates follow the exponential sweep: batch i gets 1e-4 * (1e8)^(i/60)
                assertThat(result.learningRates()[10]).isCloseTo(1e-4 * Math.pow(1e8, 10 / 60.0), within(1e-9));

                assertThat(learner.weights().equals(weightsBefore)).isFalse(); // distinct objects ...
                assertSameWeights(learner.weights(), weightsBefore); // ... same values
                assertThat(learner.optimizerState()).isEqualTo(optimizerBefore);
                assertThat(learner.epoch()).isEqualTo(epochBefore);
                assertThat(learner.callbacks()).hasSize(callbacksBefore);
                assertThat(learner.recorder().losses()).containsExactly(logBefore);

                Path plot = dir.resolve("lr_find.png");
                TrainingCharts.lrFinder(plot, result);
                assertThat(Files.size(plot)).isGreaterThan(1000);
            }
        }
    }

    @Test
    void sweepRunsItsBatchesAcrossEpochsWithoutDivergenceStop() {
        TrainFixtures.Images data = TrainFixtures.cells(32, 16, 4);
        try (NDManager manager = NDManager.newBaseManager()) {
            CellNet net = TrainFixtures.compact(manager, 16, 1);
            try (Learner learner = Learner.builder(net, manager).train(data.training(8, 1)).build()) {
                LrFinder.Result result = new LrFinder(1e-6, 1e-3, 10, false).run(learner); // 4 batches/epoch
                assertThat(result.learningRates()).hasSize(10);
                assertThat(result.diverged()).isFalse();
                assertThat(learner.epoch()).isZero();
            }
        }
    }

    @Test
    void suggestionsFollowFastai() {
        // a loss curve that falls from batch 20 to 60 and then rises
        int n = 100;
        double[] lrs = new double[n];
        double[] losses = new double[n];
        for (int i = 0; i < n; i++) {
            lrs[i] = 1e-7 * Math.pow(1e8, i / (double) n);
            losses[i] = i < 20 ? 1.0 : i < 60 ? 1.0 - (i - 19) * 0.02 : 0.2 + (i - 59) * 0.05;
        }
        // longest decreasing run: indices 19..59 within the window [10, 95); valley = start + 13 + 6
        double valley = LrFinder.valley(lrs, losses, n);
        int maxEnd = 59 - 10;
        int maxStart = maxEnd - (59 - 19 + 1);
        double sections = (maxEnd - maxStart) / 3.0;
        int idx = 10 + maxStart + (int) sections + (int) (sections / 2);
        assertThat(valley).isEqualTo(lrs[idx]);
        assertThat(LrFinder.minimumOver10(lrs, losses, n)).isCloseTo(lrs[59] / 10, within(1e-20));
    }

    static void assertSameWeights(WeightSnapshot a, WeightSnapshot b) throws Exception {
        java.io.ByteArrayOutputStream x = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream y = new java.io.ByteArrayOutputStream();
        a.write(new java.io.DataOutputStream(x));
        b.write(new java.io.DataOutputStream(y));
        assertThat(x.toByteArray()).isEqualTo(y.toByteArray());
    }
}
