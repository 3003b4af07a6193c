package org.smearscan.train.run;

import org.smearscan.data.ResizeMethod;
import org.smearscan.model.Architecture;
import org.smearscan.train.LearningRates;
import org.smearscan.train.Metric;

/**
 * The training hyper-parameters. {@link #DEFAULT} is what {@code smearscan train DATA} runs; each CLI
 * option overrides one field.
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
 * @param optimizer      {@code adamw} or {@code sgd}
 * @param dihedral       random flips and quarter turns while training
 * @param resize         how crops become squares
 * @param monitor        the validation metric that picks the best epoch
 * @param patience       epochs without improvement before a phase stops early; 0 never stops
 */
public record Recipe(Architecture arch, int size, int batchSize, int epochs, LearningRates lr, int fineTuneEpochs,
        LearningRates fineTuneLr, double weightDecay, double pctStart, String optimizer, boolean dihedral,
        ResizeMethod resize, Metric monitor, int patience) {

    /** The default recipe, in one place so it is easy to tune. */
    public static final Recipe DEFAULT = new Recipe(
            Architecture.COMPACT_SLIM, 64, 64, 16, LearningRates.single(3e-3), 0, null, 0.01, 0.25, "adamw", true,
            ResizeMethod.SQUISH, Metric.accuracy(), 0);

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
        if (!optimizer.equals("adamw") && !optimizer.equals("sgd")) {
            throw new IllegalArgumentException("optimizer must be adamw or sgd, got '" + optimizer + "'");
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

    public Recipe withArch(Architecture v) {
        return new Recipe(v, size, batchSize, epochs, lr, fineTuneEpochs, fineTuneLr, weightDecay, pctStart, optimizer,
                dihedral, resize, monitor, patience);
    }

    public Recipe withSize(int v) {
        return new Recipe(arch, v, batchSize, epochs, lr, fineTuneEpochs, fineTuneLr, weightDecay, pctStart, optimizer,
                dihedral, resize, monitor, patience);
    }

    public Recipe withBatchSize(int v) {
        return new Recipe(arch, size, v, epochs, lr, fineTuneEpochs, fineTuneLr, weightDecay, pctStart, optimizer,
                dihedral, resize, monitor, patience);
    }

    public Recipe withEpochs(int v) {
        return new Recipe(arch, size, batchSize, v, lr, fineTuneEpochs, fineTuneLr, weightDecay, pctStart, optimizer,
                dihedral, resize, monitor, patience);
    }

    public Recipe withLr(LearningRates v) {
        return new Recipe(arch, size, batchSize, epochs, v, fineTuneEpochs, fineTuneLr, weightDecay, pctStart, optimizer,
                dihedral, resize, monitor, patience);
    }

    public Recipe withFineTune(int v, LearningRates lrs) {
        return new Recipe(arch, size, batchSize, epochs, lr, v, lrs, weightDecay, pctStart, optimizer, dihedral, resize,
                monitor, patience);
    }

    public Recipe withWeightDecay(double v) {
        return new Recipe(arch, size, batchSize, epochs, lr, fineTuneEpochs, fineTuneLr, v, pctStart, optimizer,
                dihedral, resize, monitor, patience);
    }

    public Recipe withPctStart(double v) {
        return new Recipe(arch, size, batchSize, epochs, lr, fineTuneEpochs, fineTuneLr, weightDecay, v, optimizer,
                dihedral, resize, monitor, patience);
    }

    public Recipe withOptimizer(String v) {
        return new Recipe(arch, size, batchSize, epochs, lr, fineTuneEpochs, fineTuneLr, weightDecay, pctStart, v,
                dihedral, resize, monitor, patience);
    }

    public Recipe withDihedral(boolean v) {
        return new Recipe(arch, size, batchSize, epochs, lr, fineTuneEpochs, fineTuneLr, weightDecay, pctStart, optimizer,
                v, resize, monitor, patience);
    }

    public Recipe withResize(ResizeMethod v) {
        return new Recipe(arch, size, batchSize, epochs, lr, fineTuneEpochs, fineTuneLr, weightDecay, pctStart, optimizer,
                dihedral, v, monitor, patience);
    }

    public Recipe withMonitor(Metric v) {
        return new Recipe(arch, size, batchSize, epochs, lr, fineTuneEpochs, fineTuneLr, weightDecay, pctStart, optimizer,
                dihedral, resize, v, patience);
    }

    public Recipe withPatience(int v) {
        return new Recipe(arch, size, batchSize, epochs, lr, fineTuneEpochs, fineTuneLr, weightDecay, pctStart, optimizer,
                dihedral, resize, monitor, v);
    }
}
