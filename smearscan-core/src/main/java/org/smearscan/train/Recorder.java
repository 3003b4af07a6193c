package org.smearscan.train;

import java.util.List;
import java.util.Arrays;

/**
 * Records every batch (loss, fastai's smoothed loss, rates, momentum) and the epoch's mean training loss
 * and timing. The smoothed loss is an exponential moving average (beta 0.98) with bias correction, so it
 * is unbiased from the first batch.
 */
public final class Recorder implements Callback, Stateful {
    public static final double SMOOTHING = 0.98;

    private final FloatLog losses = new FloatLog();
    private final FloatLog smoothLosses = new FloatLog();
    private final FloatLog lrs = new FloatLog();
    private final FloatLog moms = new FloatLog();
    private double average;
    private int count;
    private double epochLossSum;
    private int epochBatches;
    private int epochImages;
    private long epochStartNanos;
    private long trainNanos;
    private long batchStartNanos;

    @Override
    public int order() {
        return -50;
    }

    @Override
    public boolean keepDuringLrFind() {
        return true;
    }

    @Override
    public String stateKey() {
        return "recorder";
    }

    /** The per-batch log (loss, smoothed loss, learning rate, momentum), so plots cover a resumed run whole. */
    @Override
    public byte[] saveState() {
        return StateBytes.write(out -> {
            for (FloatLog log : List.of(losses, smoothLosses, lrs, moms)) {
                float[] values = log.toArray();
                out.writeInt(values.length);
                for (float v : values) {
                    out.writeFloat(v);
                }
            }
        });
    }

    @Override
    public void loadState(byte[] state) {
        StateBytes.read(state, in -> {
            for (FloatLog log : List.of(losses, smoothLosses, lrs, moms)) {
                float[] values = new float[in.readInt()];
                for (int k = 0; k < values.length; k++) {
                    values[k] = in.readFloat();
                }
                log.reset(values);
            }
        });
    }

    @Override
    public void beforeFit(Learner learner) {
        average = 0;
        count = 0;
    }

    @Override
    public void beforeEpoch(Learner learner) {
        epochLossSum = 0;
        epochBatches = 0;
        epochImages = 0;
        trainNanos = 0;
        epochStartNanos = System.nanoTime();
    }

    @Override
    public void beforeBatch(Learner learner) {
        batchStartNanos = System.nanoTime();
    }

    @Override
    public void afterBatch(Learner learner) {
        trainNanos += System.nanoTime() - batchStartNanos;
        float loss = learner.loss();
        count++;
        average = SMOOTHING * average + (1 - SMOOTHING) * loss;
        losses.add(loss);
        smoothLosses.add((float) smoothLoss());
        double[] rates = learner.optimizer().learningRates();
        lrs.add((float) rates[rates.length - 1]);
        moms.add((float) learner.optimizer().momentum());
        epochLossSum += loss;
        epochBatches++;
        epochImages += learner.batch().count();
    }

    /** The bias-corrected moving average of the batch losses of this fit. */
    public double smoothLoss() {
        return count == 0 ? Double.NaN : average / (1 - Math.pow(SMOOTHING, count));
    }

    public double epochTrainLoss() {
        return epochBatches == 0 ? Double.NaN : epochLossSum / epochBatches;
    }

    public int epochImages() {
        return epochImages;
    }

    /** Wall time of the epoch so far, validation included. */
    public double epochSeconds() {
        return (System.nanoTime() - epochStartNanos) / 1e9;
    }

    /** Time spent inside training batches (data loading between batches excluded). */
    public double trainSeconds() {
        return trainNanos / 1e9;
    }

    public float[] losses() {
        return losses.toArray();
    }

    public float[] smoothLosses() {
        return smoothLosses.toArray();
    }

    /** The last group's (head's) learning rate at each batch. */
    public float[] learningRates() {
        return lrs.toArray();
    }

    public float[] momentums() {
        return moms.toArray();
    }

    /** A growable float array: a run logs hundreds of thousands of values, boxed lists waste memory. */
    static final class FloatLog {
        private float[] values = new float[256];
        private int size;

        void add(float v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        float[] toArray() {
            return Arrays.copyOf(values, size);
        }

        void reset(float[] restored) {
            values = Arrays.copyOf(restored, Math.max(256, restored.length));
            size = restored.length;
        }
    }
}
