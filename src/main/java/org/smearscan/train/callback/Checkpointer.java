package org.smearscan.train.callback;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.smearscan.train.Callback;
import org.smearscan.train.Learner;
import org.smearscan.train.Recorder;


/**
 * Saves a {@link Checkpoint} after every epoch, once the tracker, best-model keeper, early stopping and
 * history have seen it, so the checkpoint holds their state as of the end of the epoch.
 */
public final class Checkpointer implements Callback {
    private final Path file;
    private final MetricTracker tracker;
    private final EarlyStopping earlyStopping;
    private final History history;
    private int phase;

    /** @param earlyStopping may be null when the run has none */
    public Checkpointer(Path file, MetricTracker tracker, EarlyStopping earlyStopping, History history) {
        this.file = file;
        this.tracker = tracker;
        this.earlyStopping = earlyStopping;
        this.history = history;
    }

    @Override
    public int order() {
        return 60;
    }

    /** The index of the phase the following fit belongs to. */
    public void setPhase(int index) {
        this.phase = index;
    }

    @Override
    public void afterEpoch(Learner learner) {
        int done = learner.epochInFit() + 1;
        boolean finished = done >= learner.fitEpochs() || learner.stopReason() != null;
        Recorder rec = learner.recorder();
        Checkpoint checkpoint = new Checkpoint(
                new Checkpoint.State(Checkpoint.FORMAT_VERSION, phase, done, finished, learner.epoch() + 1,
                        learner.seed(), tracker.best(), tracker.bestEpoch(),
                        earlyStopping == null ? 0 : earlyStopping.waited(), history.records()),
                learner.weights(), learner.optimizerState(),
                new float[][] {rec.losses(), rec.smoothLosses(), rec.learningRates(), rec.momentums()});
        try {
            checkpoint.write(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the checkpoint " + file, e);
        }
    }
}
