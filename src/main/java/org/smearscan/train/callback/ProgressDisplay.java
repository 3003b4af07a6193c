package org.smearscan.train.callback;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.smearscan.train.Callback;
import org.smearscan.train.EpochMetrics;
import org.smearscan.train.Learner;

/**
 * Shows training progress: on a terminal, a bar per epoch with the running (smoothed) loss and the time
 * left; otherwise (a log file, CI) a plain line at each quarter of an epoch. Either way one summary line
 * per epoch.
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
    private ProgressBar bar;
    private long epochStart;
    private int nextQuarter;

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
        nextQuarter = 1;
        if (mode == Mode.BAR) {
            bar = new ProgressBarBuilder()
                    .setTaskName(String.format(Locale.ROOT, "epoch %d/%d", learner.epochInFit() + 1, learner.fitEpochs()))
                    .setInitialMax(learner.trainData().batchesPerEpoch())
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUnit(" batches", 1)
                    .setUpdateIntervalMillis(500)
                    .setConsumer(new ConsoleProgressBarConsumer(out))
                    .build();
        }
    }

    @Override
    public void afterBatch(Learner learner) {
        if (mode == Mode.BAR && bar != null) {
            bar.step();
            bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f", learner.recorder().smoothLoss()));
        } else if (mode == Mode.LINES) {
            int total = learner.trainData().batchesPerEpoch();
            long done = learner.iteration() - (long) learner.epochInFit() * total;
            if (nextQuarter < 4 && done * 4 >= (long) nextQuarter * total) {
                double elapsed = (System.nanoTime() - epochStart) / 1e9;
                double eta = elapsed / done * (total - done);
                out.printf(Locale.ROOT, "epoch %d/%d: %d/%d batches, loss %.4f, %s left in this epoch%n",
                        learner.epochInFit() + 1, learner.fitEpochs(), done, total, learner.recorder().smoothLoss(),
                        format(eta));
                nextQuarter++;
            }
        }
    }

    @Override
    public void afterEpoch(Learner learner) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
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
        if (bar != null) {
            bar.close();
            bar = null;
        }
        if (mode != Mode.SILENT && learner.stopReason() != null && !learner.stopReason().isEmpty()) {
            out.println("stopped early: " + learner.stopReason());
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
