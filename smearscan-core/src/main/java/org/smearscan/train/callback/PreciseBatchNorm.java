package org.smearscan.train.callback;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.smearscan.data.HostBatch;
import org.smearscan.train.BatchSource;
import org.smearscan.train.Callback;
import org.smearscan.train.InputBuffers;
import org.smearscan.train.Learner;

/**
 * Precise BatchNorm (Wu and Johnson, "Rethinking Batch in BatchNorm", 2021): at the end of every epoch, before it
 * is validated, each BatchNorm's running mean and variance become the plain average of their batch statistics
 * over a fixed number of training batches, the weights as they are.
 *
 * <p>Why: while training, the running statistics are an exponential average (the new batch weighs 0.1) of the
 * last few dozen batches, so the network that is validated, kept as best epoch and saved changes from epoch to
 * epoch even where the learning rate is all but zero. On the default recipe's cross-validation, fold 3's
 * accuracy went from 0.9638 at epoch 15 to 0.9550 at epoch 16, at a learning rate of 3e-8.
 */
public final class PreciseBatchNorm implements Callback {
    /**
     * The weight PyTorch gives a new batch's statistics: DJL passes it {@code 1 - momentum}, and every BatchNorm
     * that {@code Networks} builds keeps DJL's default momentum of 0.9.
     */
    static final float NEW_BATCH_WEIGHT = 0.1f;
    private final int batches;

    /** @param batches training batches to average over (the first ones of the epoch just trained) */
    public PreciseBatchNorm(int batches) {
        if (batches < 1) {
            throw new IllegalArgumentException("precise BatchNorm needs at least one batch, got " + batches);
        }
        this.batches = batches;
    }

    @Override
    public int order() {
        return -95; // before the Validator (-90): the epoch is validated with the precise statistics
    }

    @Override
    public void afterEpoch(Learner learner) {
        update(learner.net().network(), learner.trainData(), learner.epoch(), batches, learner.manager());
    }

    /**
     * Sets every BatchNorm's running statistics of {@code network} to their average over the first {@code batches}
     * batches of {@code source}'s epoch {@code epoch}, run through the network in training mode with autograd
     * off. Returns the batches used (fewer when the epoch has fewer); a network without BatchNorm is left as is.
     */
    public static int update(Block network, BatchSource source, int epoch, int batches, NDManager manager) {
        List<NDArray> running = new ArrayList<>();
        for (Pair<String, Parameter> p : network.getParameters()) {
            if (p.getKey().endsWith("runningMean") || p.getKey().endsWith("runningVar")) {
                running.add(p.getValue().getArray());
            }
        }
        if (running.isEmpty()) {
            return 0;
        }
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        List<float[]> before = new ArrayList<>();
        running.forEach(r -> before.add(r.toFloatArray()));
        double[][] sums = new double[running.size()][];
        ParameterStore store = new ParameterStore(manager, false);
        InputBuffers inputs = new InputBuffers();
        Iterator<HostBatch> epochBatches = source.epoch(epoch);
        int used = 0;
        boolean done = false;
        try {
            while (used < batches && epochBatches.hasNext()) {
                HostBatch batch = epochBatches.next();
                try (NDManager batchManager = manager.newSubManager()) {
                    for (NDArray r : running) {
                        r.muli(0); // from zero, one update leaves exactly NEW_BATCH_WEIGHT times this batch's statistic
                    }
                    network.forward(store, new NDList(inputs.images(batchManager, batch)), true);
                    for (int i = 0; i < running.size(); i++) {
                        float[] values = running.get(i).toFloatArray();
                        if (sums[i] == null) {
                            sums[i] = new double[values.length];
                        }
                        for (int k = 0; k < values.length; k++) {
                            sums[i][k] += values[k] / NEW_BATCH_WEIGHT;
                        }
                    }
                }
                used++;
            }
            if (used == 0) {
                throw new IllegalStateException("no training batch to compute BatchNorm statistics from");
            }
            List<float[]> averages = new ArrayList<>();
            for (double[] sum : sums) {
                float[] average = new float[sum.length];
                for (int k = 0; k < average.length; k++) {
                    average[k] = (float) (sum[k] / used);
                }
                averages.add(average);
            }
            overwrite(running, averages);
            done = true;
        } finally {
            if (!done) {
                overwrite(running, before); // a failed update leaves the statistics as they were
            }
            BatchSource.close(epochBatches);
            JniUtils.setGradMode(gradMode);
        }
        return used;
    }

    private static void overwrite(List<NDArray> arrays, List<float[]> values) {
        for (int i = 0; i < arrays.size(); i++) {
            NDArray r = arrays.get(i);
            try (NDArray v = r.getManager().create(values.get(i), r.getShape())) {
                r.muli(0).addi(v);
            }
        }
    }
}
