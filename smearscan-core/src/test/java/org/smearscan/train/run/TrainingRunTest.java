package org.smearscan.train.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smearscan.data.SplitSpec;
import org.smearscan.modelfile.ModelFile;
import org.smearscan.testing.SyntheticCells;
import org.smearscan.train.Callback;
import org.smearscan.train.Learner;
import org.smearscan.train.callback.ProgressDisplay;

/** The whole pipeline (data layer batches included) resumes to the model an uninterrupted run makes. */
class TrainingRunTest {

    private static TrainConfig config(Path data, Path runDir, Path cache) {
        Recipe recipe = Recipe.DEFAULT.toBuilder().size(32).batchSize(16).epochs(3).build();
        return new TrainConfig(data, runDir, recipe, SplitSpec.of(SplitSpec.Method.DONOR, 0.2, 9), 9, Backbone.BUILT,
                cache, 1);
    }

    @Test
    void killedAndResumedRunEqualsUninterruptedRun(@TempDir Path tmp) throws Exception {
        Path data = SyntheticCells.writeDataset(tmp.resolve("cells"), 40, 3);
        Path cache = tmp.resolve("cache");
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        TrainingRun.Outcome full = TrainingRun.train(config(data, tmp.resolve("a"), cache), ProgressDisplay.Mode.SILENT, quiet);

        Callback kill = new Callback() {
            @Override
            public int order() {
                return 70;
            }

            @Override
            public void afterEpoch(Learner learner) {
                if (learner.epoch() == 1) {
                    throw new IllegalStateException("killed after epoch 2");
                }
            }
        };
        Path runB = tmp.resolve("b");
        assertThatThrownBy(() -> TrainingRun.train(config(data, runB, cache), ProgressDisplay.Mode.SILENT, quiet,
                List.of(kill))).hasMessageContaining("killed");
        TrainingRun.Outcome resumed = TrainingRun.resume(runB, ProgressDisplay.Mode.SILENT, quiet);

        assertThat(resumed.result().history()).hasSize(3);
        assertThat(resumed.result().bestEpoch()).isEqualTo(full.result().bestEpoch());
        try (NDManager manager = NDManager.newBaseManager()) {
            ai.djl.nn.ParameterList a = ModelFile.read(full.modelFile(), manager).net().network().getParameters();
            ai.djl.nn.ParameterList b = ModelFile.read(resumed.modelFile(), manager).net().network().getParameters();
            assertThat(b).hasSameSizeAs(a);
            for (int i = 0; i < a.size(); i++) {
                float[] x = a.get(i).getValue().getArray().toFloatArray();
                float[] y = b.get(i).getValue().getArray().toFloatArray();
                for (int k = 0; k < x.length; k++) {
                    assertThat(y[k]).as(a.get(i).getKey()).isCloseTo(x[k], within(1e-4f + 1e-3f * Math.abs(x[k])));
                }
            }
        }
    }
}
