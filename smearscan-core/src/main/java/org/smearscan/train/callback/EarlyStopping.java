package org.smearscan.train.callback;

import org.smearscan.train.StateBytes;
import org.smearscan.train.Stateful;
import org.smearscan.train.Callback;
import org.smearscan.train.Learner;

/** Ends a fit (after the current epoch) when the tracked metric has not improved for {@code patience} epochs in a row. */
public final class EarlyStopping implements Callback, Stateful {
    private final MetricTracker tracker;
    private final int patience;
    private int wait;
    private boolean stopped;

    public EarlyStopping(MetricTracker tracker, int patience) {
        if (patience < 1) {
            throw new IllegalArgumentException("patience must be at least 1 epoch, got " + patience);
        }
        this.tracker = tracker;
        this.patience = patience;
    }

    @Override
    public int order() {
        return -5; // after the tracker; the stop takes effect once every callback has seen the epoch
    }

    @Override
    public void beforeFit(Learner learner) {
        stopped = false;
        if (learner.epochInFit() == 0) {
            wait = 0; // a new fit starts with fresh patience; a resumed one keeps its count
        }
    }

    @Override
    public void afterEpoch(Learner learner) {
        wait = tracker.improved() ? 0 : wait + 1;
        if (wait >= patience && learner.epochInFit() + 1 < learner.fitEpochs()) {
            stopped = true;
            learner.requestStop("no improvement of " + tracker.metric() + " for " + wait + " epochs");
        }
    }

    /** Epochs since the last improvement. */
    public int waited() {
        return wait;
    }

    public boolean stopped() {
        return stopped;
    }

    @Override
    public String stateKey() {
        return "early-stopping";
    }

    @Override
    public byte[] saveState() {
        return StateBytes.write(out -> out.writeInt(wait));
    }

    @Override
    public void loadState(byte[] state) {
        StateBytes.read(state, in -> wait = in.readInt());
    }
}
