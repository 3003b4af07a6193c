package org.smearscan.train.callback;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.smearscan.model.CellNet;
import org.smearscan.testing.TrainFixtures;
import org.smearscan.train.Learner;
import org.smearscan.train.LearningRates;

class ProgressDisplayTest {

    private static String fit(ProgressDisplay.Mode mode) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        TrainFixtures.Images data = TrainFixtures.cells(32, 16, 4);
        try (NDManager manager = NDManager.newBaseManager()) {
            CellNet net = TrainFixtures.compact(manager, 16, 1);
            try (Learner learner = Learner.builder(net, manager).train(data.training(4, 1)) // 8 batches an epoch
                    .valid(data.validation(16)).callback(new ProgressDisplay(mode, out)).build()) {
                learner.fitOneCycle(2, LearningRates.single(1e-3));
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void plainLinesAtEachQuarterOfAnEpochThenASummary() {
        String[] lines = fit(ProgressDisplay.Mode.LINES).split(System.lineSeparator());
        assertThat(lines).hasSize(8);
        for (int epoch = 1; epoch <= 2; epoch++) {
            for (int quarter = 1; quarter <= 3; quarter++) {
                assertThat(lines[(epoch - 1) * 4 + quarter - 1]).matches("epoch " + epoch + "/2: " + 2 * quarter
                        + "/8 batches, loss \\d+\\.\\d{4}, [0-9.]+s left in this epoch");
            }
            assertThat(lines[epoch * 4 - 1]).matches("epoch " + epoch + "/2: train_loss \\d+\\.\\d{4} valid_loss "
                    + "\\d+\\.\\d{4} accuracy \\d\\.\\d{4} auc \\d\\.\\d{4} \\([0-9.]+s\\)");
        }
    }

    @Test
    void aBarPerEpochOnTheGivenStream() {
        String shown = fit(ProgressDisplay.Mode.BAR);
        assertThat(shown).contains("epoch 1/2", "epoch 2/2", " batches", " loss ", "\r");
        assertThat(shown).contains("epoch 2/2: train_loss ");
    }

    @Test
    void silentShowsNothing() {
        assertThat(fit(ProgressDisplay.Mode.SILENT)).isEmpty();
    }
}
