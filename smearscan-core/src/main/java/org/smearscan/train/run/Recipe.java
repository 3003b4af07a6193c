package org.smearscan.train.run;

import java.util.Objects;
import org.smearscan.data.ResizeMethod;
import org.smearscan.model.Architecture;
import org.smearscan.train.Learner;
import org.smearscan.train.LearningRates;
import org.smearscan.train.Metric;
import org.smearscan.train.OptimizerKind;
import org.smearscan.train.schedule.OneCycle;

/**
 * The training hyper-parameters. {@link #DEFAULT} is what {@code smearscan train DATA} runs; its values are
 * the field initialisers of {@link Builder}, the one place each default is written (the CLI's help reads
 * them from {@code DEFAULT}). Each CLI option overrides one field.
 *
 * @param arch           network body (ignored when a TorchScript backbone is given)
 * @param size           image side in pixels
 * @param batchSize      images per batch
 * @param epochs         one-cycle epochs of the first phase (head only when a pretrained body is used)
 * @param lr             peak learning rate of the first phase, or a range over the layer groups
 * @param fineTuneEpochs epochs of a second, unfrozen phase (fastai's fine-tuning); 0 for none
 * @param fineTuneLr     its rates, spread from the first layer group to the head; null for fastai's
 *                       fine_tune rule, {@code lr/200 : lr/2}
 * @param weightDecay    decoupled weight decay (not on biases and normalisation parameters)
 * @param pctStart       fraction of a phase spent warming the rate up
 * @param optimizer      AdamW or SGD with momentum
 * @param dihedral       random flips and quarter turns while training
 * @param resize         how crops become squares
 * @param monitor        the validation metric that picks the best epoch
 * @param patience       epochs without improvement before a phase stops early; 0 never stops
 * @param positiveRepeats how many times each training image of the positive class is seen per epoch (each time
 *                       in another random view): the answer to rare positives, 2% of the cells of a field, used
 *                       by {@code train-fields}; 1 leaves the data as it is (0, from a configuration written
 *                       before this existed, means 1)
 * @param lighting       fastai's lighting augmentation: a random brightness shift and contrast factor of up to this
 *                       much per training image (0 = none, the default; at most 0.5)
 * @param stain          colour (stain) augmentation: each channel of a training image multiplied by its own random
 *                       factor in {@code [1-stain, 1+stain]}, which moves hue and saturation the way another
 *                       staining batch or camera white balance does (0 = none, the default; at most 0.3)
 * @param mixup          mixup's alpha: each training batch blended with itself in another order, labels weighted
 *                       alike ({@link org.smearscan.train.callback.MixUp}; 0 = none, the default; fastai uses 0.4)
 * @param preciseBn      training batches over which every BatchNorm's statistics are averaged at the end of each
 *                       epoch, before it is validated ({@link org.smearscan.train.callback.PreciseBatchNorm}); 0 keeps
 *                       training's running average, as runs written before it existed did. The default, 32, took away
 *                       the swings of the last epochs' accuracy that the running average caused (BENCHMARKS.md)
 */
public record Recipe(Architecture arch, int size, int batchSize, int epochs, LearningRates lr, int fineTuneEpochs,
        LearningRates fineTuneLr, double weightDecay, double pctStart, OptimizerKind optimizer, boolean dihedral,
        ResizeMethod resize, Metric monitor, int patience, int positiveRepeats, double lighting,
        double stain, double mixup, int preciseBn) {

    /** The default recipe: {@link Builder}'s initial values. */
    public static final Recipe DEFAULT = new Builder().build();

    public Recipe {
        if (size < 16 || size > 1024) {
            throw new IllegalArgumentException("image size must lie in 16..1024 pixels, got " + size);
        }
        if (batchSize < 2) {
            throw new IllegalArgumentException("batch size must be at least 2 (BatchNorm needs a batch), got " + batchSize);
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
        }
        if (fineTuneEpochs < 0 || patience < 0) {
            throw new IllegalArgumentException("fine-tune epochs and patience cannot be negative");
        }
        if (weightDecay < 0) {
            throw new IllegalArgumentException("weight decay cannot be negative, got " + weightDecay);
        }
        if (pctStart < 0 || pctStart > 1) {
            throw new IllegalArgumentException("pct-start must lie in [0, 1], got " + pctStart);
        }
        Objects.requireNonNull(optimizer, "optimizer");
        if (positiveRepeats < 0 || positiveRepeats > 1000) {
            throw new IllegalArgumentException("positive repeats must lie in 1..1000, got " + positiveRepeats);
        }
        positiveRepeats = Math.max(1, positiveRepeats);
        if (!(lighting >= 0 && lighting <= 0.5)) {
            throw new IllegalArgumentException("lighting must lie in [0, 0.5], got " + lighting);
        }
        if (!(stain >= 0 && stain <= 0.3)) {
            throw new IllegalArgumentException("stain must lie in [0, 0.3], got " + stain);
        }
        if (!(mixup >= 0 && mixup <= 10)) {
            throw new IllegalArgumentException("mixup's alpha must lie in [0, 10], got " + mixup);
        }
        if (preciseBn < 0 || preciseBn > 100_000) {
            throw new IllegalArgumentException("precise BatchNorm batches must lie in 0..100000, got " + preciseBn);
        }
    }

    /** The fine-tuning rates: as given, or fastai's fine_tune rule from the first phase's peak. */
    public LearningRates effectiveFineTuneLr() {
        if (fineTuneLr != null) {
            return fineTuneLr;
        }
        double base = lr.high() / 2;
        return new LearningRates(base / 100, base);
    }

    /** A builder holding this recipe's values, to change some of them. */
    public Builder toBuilder() {
        return new Builder().arch(arch).size(size).batchSize(batchSize).epochs(epochs).lr(lr)
                .fineTune(fineTuneEpochs, fineTuneLr).weightDecay(weightDecay).pctStart(pctStart).optimizer(optimizer)
                .dihedral(dihedral).resize(resize).monitor(monitor).patience(patience).positiveRepeats(positiveRepeats)
                .lighting(lighting).stain(stain).mixup(mixup).preciseBn(preciseBn);
    }

    /** Starts from the default values, which are written here and nowhere else. */
    public static final class Builder {
        private Architecture arch = Architecture.COMPACT_SLIM;
        private int size = 64;
        private int batchSize = 64;
        private int epochs = 16;
        private LearningRates lr = LearningRates.single(3e-3);
        private int fineTuneEpochs = 0;
        private LearningRates fineTuneLr = null;
        private double weightDecay = Learner.DEFAULT_WEIGHT_DECAY;
        private double pctStart = OneCycle.DEFAULT_PCT_START;
        private OptimizerKind optimizer = OptimizerKind.ADAMW;
        private boolean dihedral = true;
        private ResizeMethod resize = ResizeMethod.SQUISH;
        private Metric monitor = Metric.accuracy();
        private int patience = 0;
        private int positiveRepeats = 1;
        private double lighting = 0;
        private double stain = 0;
        private double mixup = 0;
        private int preciseBn = 32;

        public Builder arch(Architecture v) {
            arch = v;
            return this;
        }

        public Builder size(int v) {
            size = v;
            return this;
        }

        public Builder batchSize(int v) {
            batchSize = v;
            return this;
        }

        public Builder epochs(int v) {
            epochs = v;
            return this;
        }

        public Builder lr(LearningRates v) {
            lr = v;
            return this;
        }

        /** A second, unfrozen phase of {@code v} epochs at {@code lrs} (null: fastai's fine_tune rule). */
        public Builder fineTune(int v, LearningRates lrs) {
            fineTuneEpochs = v;
            fineTuneLr = lrs;
            return this;
        }

        public Builder weightDecay(double v) {
            weightDecay = v;
            return this;
        }

        public Builder pctStart(double v) {
            pctStart = v;
            return this;
        }

        public Builder optimizer(OptimizerKind v) {
            optimizer = v;
            return this;
        }

        public Builder dihedral(boolean v) {
            dihedral = v;
            return this;
        }

        public Builder resize(ResizeMethod v) {
            resize = v;
            return this;
        }

        public Builder monitor(Metric v) {
            monitor = v;
            return this;
        }

        public Builder patience(int v) {
            patience = v;
            return this;
        }

        public Builder positiveRepeats(int v) {
            positiveRepeats = v;
            return this;
        }

        public Builder lighting(double v) {
            lighting = v;
            return this;
        }

        public Builder stain(double v) {
            stain = v;
            return this;
        }

        public Builder mixup(double v) {
            mixup = v;
            return this;
        }

        public Builder preciseBn(int v) {
            preciseBn = v;
            return this;
        }

        /** Checks the values (an IllegalArgumentException names the first one out of range). */
        public Recipe build() {
            return new Recipe(arch, size, batchSize, epochs, lr, fineTuneEpochs, fineTuneLr, weightDecay, pctStart,
                    optimizer, dihedral, resize, monitor, patience, positiveRepeats, lighting, stain, mixup, preciseBn);
        }
    }
}
