package org.smearscan.train.callback;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.smearscan.train.Callback;
import org.smearscan.train.Learner;


/**
 * Saves a {@link Checkpoint} after every epoch, last of the callbacks, so that the state of every stateful
 * callback in it is the state as of the end of the epoch.
 */
public final class Checkpointer implements Callback {
    private final Path file;
    private int phase;

    public Checkpointer(Path file) {
        this.file = file;
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
        Checkpoint checkpoint = new Checkpoint(
                new Checkpoint.State(Checkpoint.FORMAT_VERSION, phase, done, finished, learner.epoch() + 1,
                        learner.seed()),
                learner.weights(), learner.optimizerState(), learner.callbackStates());
        try {
            checkpoint.write(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the checkpoint " + file, e);
        }
    }
}
