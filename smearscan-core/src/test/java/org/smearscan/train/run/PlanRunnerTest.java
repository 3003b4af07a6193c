package org.smearscan.train.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smearscan.data.HostBatch;
import org.smearscan.io.RunFolder;
import org.smearscan.model.CellNet;
import org.smearscan.testing.TrainFixtures;
import org.smearscan.train.ArrayBatchSource;
import org.smearscan.train.BatchSource;
import org.smearscan.train.Callback;
import org.smearscan.train.Learner;
import org.smearscan.train.LearningRates;
import org.smearscan.train.Metric;
import org.smearscan.train.callback.Checkpoint;
import org.smearscan.train.callback.EpochRecord;
import org.smearscan.train.callback.History;
import org.smearscan.train.callback.ProgressDisplay;
import org.smearscan.train.schedule.OneCycle;

class PlanRunnerTest {
    private static final List<Phase> PLAN = List.of(
            new Phase("fit", 2, LearningRates.single(3e-3), true, OneCycle.of(3e-3)),
            new Phase("fine-tune", 2, LearningRates.parse("1e-4:1e-3"), false, OneCycle.of(1e-3)));

    private static PlanRunner.Options options(Metric metric, int patience) {
        return new PlanRunner.Options(metric, patience, ProgressDisplay.Mode.SILENT,
                new PrintStream(new ByteArrayOutputStream()));
    }

    private static Learner learner(CellNet net, NDManager manager, TrainFixtures.Images train,
            TrainFixtures.Images valid, Callback... extra) {
        Learner.Builder b = Learner.builder(net, manager).train(train.training(8, 7)).valid(valid.validation(16)).seed(7);
        for (Callback c : extra) {
            b.callback(c);
        }
        return b.build();
    }

    private static List<float[]> allValues(CellNet net) {
        List<float[]> out = new ArrayList<>();
        for (Pair<String, Parameter> p : net.network().getParameters()) {
            out.add(p.getValue().getArray().toFloatArray());
        }
        return out;
    }

    /** Stands for the process being killed: the epoch's checkpoint is written, then the run dies. */
    private static final class Kill implements Callback {
        private final int afterEpoch;

        Kill(int afterEpoch) {
            this.afterEpoch = afterEpoch;
        }

        @Override
        public int order() {
            return 70; // after the checkpointer
        }

        @Override
        public void afterEpoch(Learner learner) {
            if (learner.epoch() == afterEpoch) {
                throw new IllegalStateException("killed");
            }
        }
    }

    @Test
    void resumedRunEndsWithTheModelOfAnUninterruptedOne(@TempDir Path tmp) throws Exception {
        TrainFixtures.Images train = TrainFixtures.cells(32, 16, 11);
        TrainFixtures.Images valid = TrainFixtures.cells(16, 16, 12);
        List<float[]> uninterrupted;
        List<EpochRecord> fullHistory;
        try (NDManager manager = NDManager.newBaseManager()) {
            CellNet net = TrainFixtures.compact(manager, 16, 7);
            try (Learner learner = learner(net, manager, train, valid)) {
                fullHistory = PlanRunner.run(learner, PLAN, tmp.resolve("a"), options(Metric.validLoss(), 0), false).history();
                uninterrupted = allValues(net);
            }
        }
        assertThat(fullHistory).hasSize(4);

        Path runB = tmp.resolve("b");
        try (NDManager manager = NDManager.newBaseManager()) {
            CellNet net = TrainFixtures.compact(manager, 16, 7);
            try (Learner learner = learner(net, manager, train, valid, new Kill(2))) { // dies after epoch 3 of 4
                assertThatThrownBy(() -> PlanRunner.run(learner, PLAN, runB, options(Metric.validLoss(), 0), false))
                        .hasMessageContaining("killed");
            }
        }
        assertThat(Checkpoint.read(runB.resolve(RunFolder.CHECKPOINT)).state().epochsDone()).isEqualTo(3);
        assertThat(History.read(runB)).hasSize(3);

        List<float[]> resumed;
        List<EpochRecord> resumedHistory;
        try (NDManager manager = NDManager.newBaseManager()) {
            CellNet net = TrainFixtures.compact(manager, 16, 999); // different start: the checkpoint must win
            try (Learner learner = learner(net, manager, train, valid)) {
                resumedHistory = PlanRunner.run(learner, PLAN, runB, options(Metric.validLoss(), 0), true).history();
                resumed = allValues(net);
            }
        }
        assertThat(resumedHistory).hasSize(4);
        for (int i = 0; i < 4; i++) {
            assertThat(resumedHistory.get(i).trainLoss()).isCloseTo(fullHistory.get(i).trainLoss(), within(1e-4));
            assertThat(resumedHistory.get(i).validLoss()).isCloseTo(fullHistory.get(i).validLoss(), within(1e-4));
            assertThat(resumedHistory.get(i).phase()).isEqualTo(fullHistory.get(i).phase());
        }
        assertThat(resumed).hasSameSizeAs(uninterrupted);
        for (int i = 0; i < resumed.size(); i++) {
            float[] a = resumed.get(i);
            float[] b = uninterrupted.get(i);
            for (int k = 0; k < a.length; k++) {
                assertThat(a[k]).isCloseTo(b[k], within(1e-4f + 1e-3f * Math.abs(b[k])));
            }
        }
        for (String f : List.of("history.csv", "history.json", "loss.png", "schedule.png", "checkpoint.zip",
                "best-weights.bin")) {
            assertThat(runB.resolve(f)).isRegularFile();
        }
    }

    /** Validation labels are right only at the fifth epoch's pass and flipped otherwise: that epoch must be the best. */
    private static final class RightOnlyOnce implements BatchSource {
        private final ArrayBatchSource honest;
        private int pass;

        RightOnlyOnce(ArrayBatchSource honest) {
            this.honest = honest;
        }

        @Override
        public Iterator<HostBatch> epoch(int epoch) {
            boolean truthful = pass++ == 4;
            Iterator<HostBatch> it = honest.epoch(epoch);
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public HostBatch next() {
                    HostBatch b = it.next();
                    int[] labels = b.labels().clone();
                    if (!truthful) {
                        for (int i = 0; i < labels.length; i++) {
                            labels[i] = 1 - labels[i];
                        }
                    }
                    return new HostBatch(b.pixels(), labels, b.indices(), b.count(), b.size());
                }
            };
        }

        @Override
        public int batchesPerEpoch() {
            return honest.batchesPerEpoch();
        }

        @Override
        public int imageCount() {
            return honest.imageCount();
        }
    }

    @Test
    void keepsTheBestEpochsWeightsAndWritesTheHistory(@TempDir Path dir) throws Exception {
        TrainFixtures.Images train = TrainFixtures.cells(160, 32, 21);
        List<float[]> perEpoch = new ArrayList<>();
        Callback snapshots = new Callback() {
            @Override
            public void afterEpoch(Learner l) {
                NDArray a = l.net().head().getParameters().get(l.net().head().getParameters().size() - 1).getValue().getArray();
                perEpoch.add(a.toFloatArray());
            }
        };
        try (NDManager manager = NDManager.newBaseManager()) {
            CellNet net = TrainFixtures.compact(manager, 32, 3);
            try (Learner learner = Learner.builder(net, manager).train(train.training(16, 3))
                    .valid(new RightOnlyOnce(train.validation(40))).seed(3).callback(snapshots).build()) {
                // Six epochs, the fifth one truthful. This tiny net's eval-mode accuracy at epoch 3 ranged from
                // 0.50 to 0.80 over six other seeds, and was 0.525 for this test's seed on an AVX-512 machine,
                // where a check at epoch 3 failed every run. At epoch 5: 0.956 to 0.988 for those six seeds,
                // 0.85 for this one.
                List<Phase> plan = List.of(new Phase("fit", 6, LearningRates.single(3e-3), false, OneCycle.of(3e-3)));
                PlanRunner.Result result = PlanRunner.run(learner, plan, dir, options(Metric.accuracy(), 0), false);
                assertThat(result.history().get(4).accuracy()).as("learned by epoch 5: %s", result.history()).isGreaterThan(0.7);
                assertThat(result.bestEpoch()).isEqualTo(5);
                float[] finalHead = net.head().getParameters().get(net.head().getParameters().size() - 1).getValue()
                        .getArray().toFloatArray();
                assertThat(java.util.Arrays.equals(finalHead, perEpoch.get(4))).as("weights of epoch 5").isTrue();
                assertThat(java.util.Arrays.equals(finalHead, perEpoch.get(5))).as("not the last epoch's").isFalse();
            }
        }
        List<String> csv = Files.readAllLines(dir.resolve("history.csv"));
        assertThat(csv.get(0)).isEqualTo("epoch,phase,train_loss,valid_loss,accuracy,error_rate,auc,lr,seconds,img_per_s");
        assertThat(csv).hasSize(7);
        assertThat(csv.get(5)).startsWith("5,fit,");
        List<EpochRecord> json = History.read(dir);
        assertThat(json).hasSize(6);
        assertThat(json.get(1).accuracy() + json.get(1).errorRate()).isCloseTo(1, within(1e-9));
        assertThat(Files.readString(dir.resolve("history.json"))).contains("\"img_per_s\"", "\"valid_loss\"");
    }

    @Test
    void earlyStoppingEndsAPhaseAndAResumeDoesNotRunItAgain(@TempDir Path dir) throws Exception {
        TrainFixtures.Images train = TrainFixtures.cells(32, 16, 31);
        TrainFixtures.Images valid = TrainFixtures.cells(16, 16, 32);
        List<Phase> plan = List.of(new Phase("fit", 6, LearningRates.single(1e-6), false, OneCycle.of(1e-6)));
        int epochs;
        try (NDManager manager = NDManager.newBaseManager()) {
            CellNet net = TrainFixtures.compact(manager, 16, 1);
            // at 1e-6 nothing improves an accuracy of chance level for long: patience 1 stops early
            try (Learner learner = learner(net, manager, train, valid)) {
                epochs = PlanRunner.run(learner, plan, dir, options(Metric.accuracy(), 1), false).history().size();
            }
        }
        assertThat(epochs).isLessThan(6);
        Checkpoint.State state = Checkpoint.read(dir.resolve(RunFolder.CHECKPOINT)).state();
        assertThat(state.phaseFinished()).isTrue();
        try (NDManager manager = NDManager.newBaseManager()) {
            CellNet net = TrainFixtures.compact(manager, 16, 1);
            try (Learner learner = learner(net, manager, train, valid)) {
                assertThat(PlanRunner.run(learner, plan, dir, options(Metric.accuracy(), 1), true).history())
                        .hasSize(epochs);
            }
        }
    }
}
