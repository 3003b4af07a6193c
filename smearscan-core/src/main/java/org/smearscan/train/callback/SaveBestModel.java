package org.smearscan.train.callback;

import org.smearscan.train.Stateful;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.smearscan.io.AtomicFiles;
import org.smearscan.train.Callback;
import org.smearscan.train.Learner;
import org.smearscan.train.WeightSnapshot;

/**
 * Keeps the weights of the best epoch by the tracker's metric and puts them back when a fit ends, as
 * fastai's SaveModelCallback does. With a file, the best weights are also written there (atomically), so a
 * resumed run still ends with the best model of the whole run.
 */
public final class SaveBestModel implements Callback, Stateful {
    private final MetricTracker tracker;
    private final Path file;
    private WeightSnapshot best;

    /** @param file where to keep the best weights, or null to keep them in memory only */
    public SaveBestModel(MetricTracker tracker, Path file) {
        this.tracker = tracker;
        this.file = file;
    }

    @Override
    public int order() {
        return -10;
    }

    @Override
    public void afterEpoch(Learner learner) {
        if (!tracker.improved()) {
            return;
        }
        best = learner.weights();
        if (file != null) {
            try {
                AtomicFiles.write(file, out -> {
                    DataOutputStream data = new DataOutputStream(new BufferedOutputStream(out));
                    best.write(data);
                    data.flush();
                });
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the best weights to " + file, e);
            }
        }
    }

    @Override
    public void afterFit(Learner learner) {
        if (best != null) {
            learner.loadWeights(best);
        }
    }

    /** The best weights so far, or null. */
    public WeightSnapshot best() {
        return best;
    }

    @Override
    public String stateKey() {
        return "best-model";
    }

    /** Nothing: the best weights already sit in their own file, written at each improvement. */
    @Override
    public byte[] saveState() {
        return new byte[0];
    }

    /** Reads the best weights back from the file, when resuming. */
    @Override
    public void loadState(byte[] state) {
        if (file != null && Files.isRegularFile(file)) {
            try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
                best = WeightSnapshot.read(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the best weights " + file, e);
            }
        }
    }
}
