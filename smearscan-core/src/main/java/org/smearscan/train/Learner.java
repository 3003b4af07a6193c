package org.smearscan.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.smearscan.data.HostBatch;
import org.smearscan.data.SplitSpec;
import org.smearscan.model.CellNet;
import org.smearscan.train.optim.ScheduledOptimizer;
import org.smearscan.train.schedule.OneCycle;
import org.smearscan.train.schedule.TrainingSchedule;

/**
 * fastai's Learner in small: a network, its data, an optimizer and a list of callbacks. The loop itself
 * only does forward, loss, backward and step, firing named events around each; everything else is a
 * {@link Callback}.
 *
 * <p>Each batch gets its own NDManager, closed after the step, so every intermediate array is freed per
 * batch. The PyTorch engine is assumed (the optimizer uses its fused kernels).
 */
public final class Learner implements AutoCloseable {
    /** fastai's default decoupled weight decay. */
    public static final double DEFAULT_WEIGHT_DECAY = 0.01;
    private final CellNet net;
    private final NDManager manager;
    private final ParameterStore parameterStore;
    private final LayerGroups layerGroups;
    private final ScheduledOptimizer optimizer;
    private final BatchSource train;
    private final BatchSource valid;
    private final long seed;
    private final LossFunction lossFunction;
    private final List<Metric> metrics;
    private final List<Callback> callbacks = new ArrayList<>();
    private final Recorder recorder = new Recorder();
    private final ParamScheduler scheduler = new ParamScheduler();
    private final InputBuffers inputs = new InputBuffers();

    private TrainingSchedule schedule;
    private int epoch;
    private int epochInFit;
    private int fitEpochs;
    private long iteration;
    private long totalIterations;
    private HostBatch batch;
    private LossFunction batchLoss; // a callback's loss for the current training batch only (MixUp)
    private float loss;
    private EpochMetrics lastMetrics;
    private boolean training;
    private String stopReason;

    private Learner(Builder b) {
        this.net = b.net;
        this.manager = b.manager;
        this.parameterStore = new ParameterStore(manager, false);
        this.train = b.train;
        this.valid = b.valid;
        this.seed = b.seed;
        this.lossFunction = b.lossFunction;
        this.metrics = List.copyOf(b.metrics);
        this.layerGroups = b.layerGroups != null ? b.layerGroups : LayerGroups.of(net);
        this.optimizer = b.optimizerFactory.create(layerGroups, b.weightDecay, manager.newSubManager());
        if (optimizer.groups() != layerGroups.size()) {
            throw new IllegalArgumentException("the optimizer has " + optimizer.groups() + " groups, the network "
                    + layerGroups.size());
        }
        addCallback(scheduler);
        addCallback(recorder);
        if (valid != null) {
            addCallback(new Validator());
        }
        b.callbacks.forEach(this::addCallback);
    }

    /** Makes the optimizer for a learner's layer groups. */
    @FunctionalInterface
    public interface OptimizerFactory {
        ScheduledOptimizer create(LayerGroups groups, double weightDecay, NDManager stateManager);
    }

    /**
     * Starts a learner for an initialised network whose parameters live in {@code manager}.
     * Call {@link Builder#build()} after setting data and options.
     */
    public static Builder builder(CellNet net, NDManager manager) {
        return new Builder(net, manager);
    }

    public static final class Builder {
        private final CellNet net;
        private final NDManager manager;
        private BatchSource train;
        private BatchSource valid;
        private long seed = SplitSpec.DEFAULT_SEED; // one seed for the split and the training, by default
        private LossFunction lossFunction = LossFunction.CROSS_ENTROPY;
        private List<Metric> metrics = Metric.defaults(0);
        private double weightDecay = DEFAULT_WEIGHT_DECAY;
        private LayerGroups layerGroups;
        private OptimizerFactory optimizerFactory = OptimizerKind.ADAMW.factory();
        private final List<Callback> callbacks = new ArrayList<>();

        private Builder(CellNet net, NDManager manager) {
            this.net = Objects.requireNonNull(net);
            this.manager = Objects.requireNonNull(manager);
        }

        public Builder train(BatchSource source) {
            this.train = source;
            return this;
        }

        public Builder valid(BatchSource source) {
            this.valid = source;
            return this;
        }

        /** Seeds the engine's random stream per epoch (dropout) as a function of this and the epoch. */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /** The loss trained on and reported for validation (default: cross-entropy). */
        public Builder loss(LossFunction function) {
            this.lossFunction = Objects.requireNonNull(function);
            return this;
        }

        /** What each validation pass reports besides the loss (default: accuracy, error rate, AUC of class 0). */
        public Builder metrics(List<Metric> list) {
            this.metrics = List.copyOf(list);
            return this;
        }

        public Builder weightDecay(double value) {
            this.weightDecay = value;
            return this;
        }

        public Builder layerGroups(LayerGroups groups) {
            this.layerGroups = groups;
            return this;
        }

        /** Defaults to AdamW (beta2 0.99, eps 1e-5) over the layer groups. */
        public Builder optimizer(OptimizerFactory factory) {
            this.optimizerFactory = factory;
            return this;
        }

        public Builder callback(Callback callback) {
            callbacks.add(callback);
            return this;
        }

        public Learner build() {
            if (train == null) {
                throw new IllegalStateException("a learner needs training data");
            }
            return new Learner(this);
        }
    }

    public void addCallback(Callback callback) {
        callbacks.add(callback);
        // stable sort keeps insertion order within an order value
        callbacks.sort(Comparator.comparingInt(Callback::order));
    }

    public void removeCallback(Callback callback) {
        callbacks.remove(callback);
    }

    /** The callbacks in the order they run. */
    public List<Callback> callbacks() {
        return List.copyOf(callbacks);
    }

    /** The state of every {@link Stateful} callback, by key, for a checkpoint or to put back later. */
    public Map<String, byte[]> callbackStates() {
        Map<String, byte[]> states = new LinkedHashMap<>();
        for (Callback c : callbacks) {
            if (c instanceof Stateful s && states.put(s.stateKey(), s.saveState()) != null) {
                throw new IllegalStateException("two callbacks keep their state under '" + s.stateKey() + "'");
            }
        }
        return states;
    }

    /** Loads each {@link Stateful} callback's state from {@code states}; callbacks missing there keep theirs. */
    public void loadCallbackStates(Map<String, byte[]> states) {
        for (Callback c : callbacks) {
            if (c instanceof Stateful s && states.containsKey(s.stateKey())) {
                s.loadState(states.get(s.stateKey()));
            }
        }
    }

    public <T extends Callback> T callback(Class<T> type) {
        return callbacks.stream().filter(type::isInstance).map(type::cast).findFirst().orElse(null);
    }

    // ---- fitting ----

    /** fastai's fit_one_cycle with its defaults; a range spreads over the layer groups. */
    public void fitOneCycle(int epochs, LearningRates lrs) {
        fit(epochs, TrainingSchedule.oneCycle(lrs.spread(layerGroups.size()), OneCycle.of(lrs.high())), 0);
    }

    /**
     * Trains {@code epochs} epochs under {@code schedule}, starting at epoch {@code startEpoch} of this fit
     * (non-zero when resuming: the schedule then continues from the position that epoch starts at).
     * The global epoch counter ({@link #epoch()}) continues from where it stands.
     */
    public void fit(int epochs, TrainingSchedule schedule, int startEpoch) {
        if (schedule.groups() != layerGroups.size()) {
            throw new IllegalArgumentException("the schedule has " + schedule.groups() + " learning rates, the network "
                    + layerGroups.size() + " layer groups");
        }
        if (startEpoch < 0 || startEpoch > epochs) {
            throw new IllegalArgumentException("start epoch " + startEpoch + " outside 0.." + epochs);
        }
        this.schedule = schedule;
        this.fitEpochs = epochs;
        this.epochInFit = startEpoch;
        this.totalIterations = (long) epochs * train.batchesPerEpoch();
        this.iteration = (long) startEpoch * train.batchesPerEpoch();
        JniUtils.setGradMode(false);
        this.stopReason = null;
        fire(Callback::beforeFit);
        try {
            for (; epochInFit < epochs && stopReason == null; epochInFit++) {
                runEpoch();
                epoch++;
            }
        } catch (CancelFitException cancelled) {
            // a callback ended the fit mid-epoch; afterFit still runs
            stopReason = cancelled.getMessage();
        }
        fire(Callback::afterFit);
    }

    private void runEpoch() {
        Engine.getInstance().setRandomSeed(epochSeed(seed, epoch));
        training = true;
        fire(Callback::beforeEpoch);
        Iterator<HostBatch> batches = train.epoch(epoch);
        try {
            while (batches.hasNext()) {
                batch = batches.next();
                trainBatch();
            }
        } finally {
            batch = null;
            BatchSource.close(batches);
        }
        training = false;
        fire(Callback::afterEpoch); // the Validator, first, sets lastMetrics
    }

    private void trainBatch() {
        batchLoss = null; // a loss set for the previous batch, or left by a fit that ended mid-batch, is not this one's
        fire(Callback::beforeBatch);
        try (NDManager batchManager = manager.newSubManager()) {
            NDArray x = inputs.images(batchManager, batch);
            NDArray y = inputs.labels(batchManager, batch);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray logits = net.network().forward(parameterStore, new NDList(x), true).singletonOrThrow();
                NDArray lossArray = (batchLoss != null ? batchLoss : lossFunction).mean(logits, y);
                loss = lossArray.getFloat();
                fire(Callback::afterLoss);
                collector.backward(lossArray);
            }
            fire(Callback::beforeStep);
            optimizer.step();
            fire(Callback::afterStep);
        }
        iteration++;
        fire(Callback::afterBatch);
    }

    /** The seed of an epoch's random stream: a fixed mix of the run seed and the epoch number. */
    static int epochSeed(long seed, int epoch) {
        long z = seed * 0x9E3779B97F4A7C15L + epoch * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 31)) * 0x94D049BB133111EBL;
        return (int) ((z ^ (z >>> 29)) & 0x7fffffff);
    }

    /** Runs the network in inference mode over every batch of {@code source} (epoch 0's order). */
    public Predictions predict(BatchSource source) {
        JniUtils.setGradMode(false);
        int n = source.imageCount();
        float[][] probabilities = new float[n][];
        int[] labels = new int[n];
        int[] indices = new int[n];
        double lossSum = 0;
        int seen = 0;
        Iterator<HostBatch> it = source.epoch(0);
        try {
        while (it.hasNext()) {
            HostBatch b = it.next();
            if (seen + b.count() > n) {
                throw new IllegalStateException("the batch source yielded more than its " + n + " images");
            }
            try (NDManager batchManager = manager.newSubManager()) {
                NDArray x = inputs.images(batchManager, b);
                NDArray y = inputs.labels(batchManager, b);
                NDArray logits = net.network().forward(parameterStore, new NDList(x), false).singletonOrThrow();
                lossSum += lossFunction.mean(logits, y).getFloat() * (double) b.count();
                float[] flat = logits.logSoftmax(1).exp().toFloatArray();
                int classes = (int) logits.getShape().get(1);
                for (int i = 0; i < b.count(); i++) {
                    float[] row = new float[classes];
                    System.arraycopy(flat, i * classes, row, 0, classes);
                    probabilities[seen + i] = row;
                    labels[seen + i] = b.labels()[i];
                    indices[seen + i] = b.indices() != null ? b.indices()[i] : seen + i;
                }
            }
            seen += b.count();
        }
        } finally {
            BatchSource.close(it);
        }
        if (seen != n) {
            throw new IllegalStateException("the batch source promised " + n + " images and yielded " + seen);
        }
        return new Predictions(probabilities, labels, indices, n == 0 ? Double.NaN : lossSum / n);
    }

    /** Validation metrics of the current weights. */
    public EpochMetrics validate() {
        if (valid == null) {
            throw new IllegalStateException("this learner has no validation data");
        }
        return EpochMetrics.of(predict(valid), metrics);
    }

    // ---- freezing ----

    public void freeze() {
        layerGroups.freeze();
    }

    public void unfreeze() {
        layerGroups.unfreeze();
    }

    public void freezeTo(int n) {
        layerGroups.freezeTo(n);
    }

    // ---- weights ----

    /** A copy of every parameter, BatchNorm statistics included. */
    public WeightSnapshot weights() {
        return WeightSnapshot.of(net.network());
    }

    /** Copies a snapshot's values into the network, keeping each parameter's frozen or trainable state. */
    public void loadWeights(WeightSnapshot snapshot) {
        snapshot.restoreInto(net.network());
    }

    public byte[] optimizerState() {
        return StateBytes.write(optimizer::saveState);
    }

    public void loadOptimizerState(byte[] bytes) {
        StateBytes.read(bytes, optimizer::loadState, "optimizer state does not fit this network");
    }

    // ---- state seen by callbacks ----

    public CellNet net() {
        return net;
    }

    public NDManager manager() {
        return manager;
    }

    public ScheduledOptimizer optimizer() {
        return optimizer;
    }

    public LayerGroups layerGroups() {
        return layerGroups;
    }

    public Recorder recorder() {
        return recorder;
    }

    public BatchSource trainData() {
        return train;
    }

    public BatchSource validData() {
        return valid;
    }

    public long seed() {
        return seed;
    }

    public List<Metric> metrics() {
        return metrics;
    }

    public LossFunction lossFunction() {
        return lossFunction;
    }

    public TrainingSchedule schedule() {
        return schedule;
    }

    /** The current epoch, counted over the learner's life (or restored by {@link #setEpoch}). */
    public int epoch() {
        return epoch;
    }

    /** Sets the global epoch counter, when resuming a run. */
    public void setEpoch(int value) {
        this.epoch = value;
    }

    public int epochInFit() {
        return epochInFit;
    }

    public int fitEpochs() {
        return fitEpochs;
    }

    /** Batches done in the current fit. */
    public long iteration() {
        return iteration;
    }

    public long totalIterations() {
        return totalIterations;
    }

    /** Progress through the current fit, 0 at its first batch. */
    public double pctTrain() {
        return totalIterations == 0 ? 0 : (double) iteration / totalIterations;
    }

    public HostBatch batch() {
        return batch;
    }

    /**
     * Replaces the training batch about to be used, from a callback's {@code beforeBatch}: fastai's MixUp changes
     * the inputs there. The replacement must hold as many images of the same size.
     */
    public void replaceBatch(HostBatch replacement) {
        if (!training || batch == null) {
            throw new IllegalStateException("a batch can only be replaced while training, before its forward pass");
        }
        if (replacement.count() != batch.count() || replacement.size() != batch.size()) {
            throw new IllegalArgumentException("the replacement holds " + replacement.count() + " images of "
                    + replacement.size() + " px, the batch " + batch.count() + " of " + batch.size() + " px");
        }
        batch = replacement;
    }

    /**
     * The loss of the current training batch only, in place of the learner's, set from a callback's
     * {@code beforeBatch} (MixUp mixes the losses of two labels); validation always uses the learner's own.
     */
    public void setBatchLoss(LossFunction function) {
        if (!training || batch == null) {
            throw new IllegalStateException("a batch loss can only be set while training, before its forward pass");
        }
        batchLoss = Objects.requireNonNull(function);
    }

    /** The loss of the last batch. */
    public float loss() {
        return loss;
    }

    /** Sets the metrics of the epoch that just ended ({@link Validator} does, first at afterEpoch). */
    public void setLastMetrics(EpochMetrics value) {
        this.lastMetrics = value;
    }

    /** Validation metrics of the last epoch (null before the first). */
    public EpochMetrics lastMetrics() {
        return lastMetrics;
    }

    /**
     * Ends the fit once the current epoch is over (every callback still sees its afterEpoch). Early
     * stopping uses this; to stop in the middle of an epoch, throw {@link CancelFitException}.
     */
    public void requestStop(String reason) {
        this.stopReason = reason;
    }

    /** Why the current (or last) fit stopped early, or null when it ran all its epochs. */
    public String stopReason() {
        return stopReason;
    }

    public boolean isTraining() {
        return training;
    }

    private void fire(java.util.function.BiConsumer<Callback, Learner> event) {
        for (Callback cb : List.copyOf(callbacks)) {
            event.accept(cb, this);
        }
    }

    @Override
    public void close() {
        optimizer.close();
    }

}
