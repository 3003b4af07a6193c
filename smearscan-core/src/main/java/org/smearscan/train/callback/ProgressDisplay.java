package org.smearscan.train.callback;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import org.smearscan.data.ProgressReporter;
import org.smearscan.train.Callback;
import org.smearscan.train.EpochMetrics;
import org.smearscan.train.Learner;

/**
 * Shows training progress: on a terminal, a bar per epoch with the running (smoothed) loss and the time
 * left; otherwise (a log file, CI) a plain line at each quarter of an epoch. Either way one summary line
 * per epoch. The bar and the lines are a {@link ProgressReporter}'s; this callback feeds it batches.
 */
public final class ProgressDisplay implements Callback {
    /** How progress is shown. */
    public enum Mode {
        /** A bar when the console is a terminal, plain lines otherwise. */
        AUTO,
        BAR,
        LINES,
        SILENT
    }

    private final Mode mode;
    private final PrintStream out;
    private ProgressReporter epochProgress;
    private long epochStart;

    public ProgressDisplay(Mode mode, PrintStream out) {
        this.mode = mode == Mode.AUTO ? (System.console() != null ? Mode.BAR : Mode.LINES) : mode;
        this.out = out;
    }

    @Override
    public int order() {
        return 50;
    }

    @Override
    public boolean keepDuringLrFind() {
        return true;
    }

    @Override
    public void beforeEpoch(Learner learner) {
        epochStart = System.nanoTime();
        if (mode != Mode.BAR && mode != Mode.LINES) {
            return;
        }
        int epoch = learner.epochInFit() + 1;
        int epochs = learner.fitEpochs();
        String task = String.format(Locale.ROOT, "epoch %d/%d", epoch, epochs);
        ProgressReporter.Builder progress = ProgressReporter.builder(task, learner.trainData().batchesPerEpoch())
                .unit("batches", 1)
                .out(out)
                .bar(false, 500)
                .lines(4, false)
                .lineFormat((done, total, seconds) -> String.format(Locale.ROOT,
                        "epoch %d/%d: %d/%d batches, loss %.4f, %s left in this epoch", epoch, epochs, done, total,
                        learner.recorder().smoothLoss(), format(seconds / done * (total - done))));
        epochProgress = mode == Mode.BAR ? progress.bar() : progress.lines();
    }

    @Override
    public void afterBatch(Learner learner) {
        if (epochProgress == null) {
            return;
        }
        long done = learner.iteration() - (long) learner.epochInFit() * learner.trainData().batchesPerEpoch();
        epochProgress.stepTo(done);
        if (epochProgress.isBar()) {
            epochProgress.message(String.format(Locale.ROOT, " loss %.4f", learner.recorder().smoothLoss()));
        }
    }

    @Override
    public void afterEpoch(Learner learner) {
        closeEpochProgress();
        if (mode == Mode.SILENT) {
            return;
        }
        EpochMetrics m = learner.lastMetrics();
        String valid = m == null ? "" : String.format(Locale.ROOT, " valid_loss %.4f accuracy %.4f auc %.4f",
                m.validLoss(), m.accuracy(), m.auc());
        out.printf(Locale.ROOT, "epoch %d/%d: train_loss %.4f%s (%s)%n", learner.epochInFit() + 1, learner.fitEpochs(),
                learner.recorder().epochTrainLoss(), valid, format((System.nanoTime() - epochStart) / 1e9));
    }

    @Override
    public void afterFit(Learner learner) {
        closeEpochProgress();
        if (mode != Mode.SILENT && learner.stopReason() != null && !learner.stopReason().isEmpty()) {
            out.println("stopped early: " + learner.stopReason());
        }
    }

    private void closeEpochProgress() {
        if (epochProgress != null) {
            epochProgress.close();
            epochProgress = null;
        }
    }

    static String format(double seconds) {
        Duration d = Duration.ofMillis((long) (seconds * 1000));
        if (d.toHours() > 0) {
            return String.format(Locale.ROOT, "%dh%02dm", d.toHours(), d.toMinutesPart());
        }
        if (d.toMinutes() > 0) {
            return String.format(Locale.ROOT, "%dm%02ds", d.toMinutes(), d.toSecondsPart());
        }
        return String.format(Locale.ROOT, "%.1fs", seconds);
    }
}
