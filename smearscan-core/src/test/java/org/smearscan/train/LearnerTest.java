package org.smearscan.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.smearscan.model.CellNet;
import org.smearscan.testing.TrainFixtures;

class LearnerTest {

    @Test
    void learnsToTellSyntheticParasitizedCellsApart() {
        TrainFixtures.Images train = TrainFixtures.cells(320, 32, 1);
        TrainFixtures.Images valid = TrainFixtures.cells(100, 32, 2);
        try (NDManager manager = NDManager.newBaseManager()) {
            CellNet net = TrainFixtures.compact(manager, 32, 42);
            try (Learner learner = Learner.builder(net, manager)
                    .train(train.training(32, 42))
                    .valid(valid.validation(50))
                    .seed(42)
                    .build()) {
                EpochMetrics before = learner.validate();
                learner.fitOneCycle(6, LearningRates.single(3e-3));
                EpochMetrics after = learner.validate();
                assertThat(after.accuracy()).as("accuracy after training (before: %s)", before.accuracy())
                        .isGreaterThan(0.9);
                assertThat(after.auc()).isGreaterThan(0.95);
                assertThat(after.validLoss()).isLessThan(before.validLoss());
                assertThat(learner.epoch()).isEqualTo(6);
                assertThat(learner.recorder().losses()).hasSize(6 * 10);
            }
        }
    }

    @Test
    void firesEventsInFastaiOrder() {
        TrainFixtures.Images data = TrainFixtures.noise(8, 16, 3);
        List<String> events = new ArrayList<>();
        Callback spy = new Callback() {
            @Override public void beforeFit(Learner l) { events.add("beforeFit"); }
            @Override public void beforeEpoch(Learner l) { events.add("beforeEpoch"); }
            @Override public void beforeBatch(Learner l) { events.add("beforeBatch"); }
            @Override public void afterLoss(Learner l) { events.add("afterLoss"); }
            @Override public void beforeStep(Learner l) { events.add("beforeStep"); }
            @Override public void afterStep(Learner l) { events.add("afterStep"); }
            @Override public void afterBatch(Learner l) { events.add("afterBatch"); }
            @Override public void afterEpoch(Learner l) {
                events.add(l.lastMetrics() != null ? "afterEpoch, validated" : "afterEpoch");
            }
            @Override public void afterFit(Learner l) { events.add("afterFit"); }
        };
        try (NDManager manager = NDManager.newBaseManager()) {
            CellNet net = TrainFixtures.compact(manager, 16, 1);
            try (Learner learner = Learner.builder(net, manager)
                    .train(data.training(4, 1)).valid(data.validation(4)).callback(spy).build()) {
                learner.fitOneCycle(1, LearningRates.single(1e-3));
            }
        }
        List<String> batch = List.of("beforeBatch", "afterLoss", "beforeStep", "afterStep", "afterBatch");
        List<String> expected = new ArrayList<>(List.of("beforeFit", "beforeEpoch"));
        expected.addAll(batch);
        expected.addAll(batch);
        expected.addAll(List.of("afterEpoch, validated", "afterFit"));
        assertThat(events).containsExactlyElementsOf(expected);
    }

    @Test
    void schedulerSetsOneCycleRatesPerBatch() {
        TrainFixtures.Images data = TrainFixtures.noise(16, 16, 3);
        List<Double> lrs = new ArrayList<>();
        List<Double> moms = new ArrayList<>();
        Callback spy = new Callback() {
            @Override
            public void beforeStep(Learner l) {
                lrs.add(l.optimizer().learningRate(l.layerGroups().size() - 1));
                moms.add(l.optimizer().momentum());
            }
        };
        try (NDManager manager = NDManager.newBaseManager()) {
            CellNet net = TrainFixtures.compact(manager, 16, 1);
            try (Learner learner = Learner.builder(net, manager).train(data.training(4, 1)).callback(spy).build()) {
                learner.fitOneCycle(2, LearningRates.single(1e-2)); // 8 batches
            }
        }
        assertThat(lrs).hasSize(8);
        assertThat(lrs.get(0)).isCloseTo(1e-2 / 25, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(lrs.get(2)).isCloseTo(1e-2, org.assertj.core.api.Assertions.within(1e-12)); // 2/8 = pct_start
        assertThat(moms.get(0)).isCloseTo(0.95, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(moms.get(2)).isCloseTo(0.85, org.assertj.core.api.Assertions.within(1e-12));
    }

    @Test
    void lossAndMetricsArePluggable() {
        TrainFixtures.Images data = TrainFixtures.noise(8, 16, 3);
        List<Float> batchLosses = new ArrayList<>();
        Callback losses = new Callback() {
            @Override
            public void afterLoss(Learner l) {
                batchLosses.add(l.loss());
            }
        };
        Metric share = Metric.of("share_of_class_1", false, p -> {
            long ones = java.util.Arrays.stream(p.labels()).filter(label -> label == 1).count();
            return (double) ones / p.size();
        });
        try (NDManager manager = NDManager.newBaseManager()) {
            CellNet net = TrainFixtures.compact(manager, 16, 1);
            LossFunction tripled = (logits, labels) -> LossFunction.CROSS_ENTROPY.mean(logits, labels).mul(3);
            try (Learner learner = Learner.builder(net, manager).train(data.training(4, 1)).valid(data.validation(4))
                    .loss(tripled).metrics(List.of(share)).callback(losses).build()) {
                learner.fitOneCycle(1, LearningRates.single(1e-6));
                EpochMetrics after = learner.lastMetrics();
                assertThat(after.values().keySet()).containsExactly("valid_loss", "share_of_class_1");
                long ones = java.util.Arrays.stream(data.labels()).filter(label -> label == 1).count();
                assertThat(after.get(share)).isEqualTo((double) ones / data.labels().length);
                assertThat(after.accuracy()).isNaN(); // not asked for
                // the reported validation loss is the plugged-in loss: three cross-entropies
                Predictions p = learner.predict(data.validation(4));
                double crossEntropy = 0;
                for (int i = 0; i < p.size(); i++) {
                    crossEntropy -= Math.log(p.probabilities()[i][p.labels()[i]]) / p.size();
                }
                assertThat(after.validLoss()).isCloseTo(3 * crossEntropy, org.assertj.core.api.Assertions.within(1e-4));
                assertThat(batchLosses).hasSize(2);
            }
        }
    }

    /** A callback with state of its own: counts the batches it saw. */
    private static final class BatchCounter implements Callback, Stateful {
        int batches;

        @Override
        public void afterBatch(Learner learner) {
            batches++;
        }

        @Override
        public boolean keepDuringLrFind() {
            return true; // so the sweep changes the count, which the finder must then put back
        }

        @Override
        public String stateKey() {
            return "batch-counter";
        }

        @Override
        public byte[] saveState() {
            return StateBytes.write(out -> out.writeInt(batches));
        }

        @Override
        public void loadState(byte[] state) {
            StateBytes.read(state, in -> batches = in.readInt());
        }
    }

    @Test
    void statefulCallbacksAreSavedAndPutBackAlike() {
        TrainFixtures.Images data = TrainFixtures.noise(8, 16, 3);
        BatchCounter counter = new BatchCounter();
        try (NDManager manager = NDManager.newBaseManager()) {
            CellNet net = TrainFixtures.compact(manager, 16, 1);
            try (Learner learner = Learner.builder(net, manager).train(data.training(4, 1)).valid(data.validation(4))
                    .callback(counter).build()) {
                learner.fitOneCycle(1, LearningRates.single(1e-3));
                assertThat(counter.batches).isEqualTo(2);
                java.util.Map<String, byte[]> states = learner.callbackStates();
                assertThat(states).containsKeys("recorder", "batch-counter");
                int logged = learner.recorder().losses().length;

                new org.smearscan.train.callback.LrFinder(1e-6, 1e-2, 4, false).run(learner);
                assertThat(counter.batches).as("put back after the sweep").isEqualTo(2);
                assertThat(learner.recorder().losses()).as("recorder put back").hasSize(logged);

                counter.batches = 99;
                learner.loadCallbackStates(states);
                assertThat(counter.batches).isEqualTo(2);
            }
        }
    }
}
