package org.smearscan.train.callback;

import ai.djl.ndarray.NDArray;
import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.smearscan.data.HostBatch;
import org.smearscan.train.Callback;
import org.smearscan.train.Learner;
import org.smearscan.train.LossFunction;

/**
 * mixup (Zhang et al. 2018), as fastai's MixUp callback: each training batch becomes {@code λ·x + (1-λ)·x'}, with
 * {@code x'} the same batch in another order, and its loss {@code λ·loss(y) + (1-λ)·loss(y')}. A net trained so
 * must answer in proportion between two cells, which is known to soften the pull of wrong labels.
 *
 * <p>One λ per batch, drawn from Beta(α, α) and folded to at least 0.5 so that the batch's own labels lead
 * (the original paper's form; fastai draws one per image). λ and the order come from the learner's seed and the
 * iteration, so a resumed run mixes as the uninterrupted one would. Validation sees plain images and the plain loss.
 */
public final class MixUp implements Callback {
    private final double alpha;
    private float[] mixed = new float[0];

    /** @param alpha the Beta distribution's parameter: small values mix little most of the time (fastai: 0.4) */
    public MixUp(double alpha) {
        if (!(alpha > 0 && alpha <= 10)) {
            throw new IllegalArgumentException("mixup's alpha must lie in (0, 10], got " + alpha);
        }
        this.alpha = alpha;
    }

    /** The mix of one batch: the weight of its own images and the order of their partners. */
    public record Mix(double lambda, int[] partner) {}

    /** The mix of a batch of {@code count} images at {@code iteration} of a run seeded {@code seed}. */
    public Mix draw(long seed, long iteration, int count) {
        RandomGenerator random = new Well19937c(new int[] {(int) seed, (int) (seed >>> 32), (int) iteration,
                (int) (iteration >>> 32)});
        double lambda = new BetaDistribution(random, alpha, alpha).sample();
        int[] partner = new int[count];
        for (int i = 0; i < count; i++) {
            partner[i] = i;
        }
        for (int i = count - 1; i > 0; i--) { // Fisher-Yates
            int j = random.nextInt(i + 1);
            int t = partner[i];
            partner[i] = partner[j];
            partner[j] = t;
        }
        return new Mix(Math.max(lambda, 1 - lambda), partner);
    }

    /** The batch's pixels mixed with their partners', into {@code out} (grown when too small). */
    static float[] mixPixels(HostBatch batch, Mix mix, float[] out) {
        int per = 3 * batch.size() * batch.size();
        float[] target = out.length >= batch.count() * per ? out : new float[batch.count() * per];
        float a = (float) mix.lambda();
        float b = 1 - a;
        float[] pixels = batch.pixels();
        for (int i = 0; i < batch.count(); i++) {
            int own = i * per;
            int other = mix.partner()[i] * per;
            for (int k = 0; k < per; k++) {
                target[own + k] = a * pixels[own + k] + b * pixels[other + k];
            }
        }
        return target;
    }

    @Override
    public void beforeBatch(Learner learner) {
        HostBatch batch = learner.batch();
        Mix mix = draw(learner.seed(), learner.iteration(), batch.count());
        mixed = mixPixels(batch, mix, mixed);
        long[] partnerLabels = new long[batch.count()];
        for (int i = 0; i < batch.count(); i++) {
            partnerLabels[i] = batch.labels()[mix.partner()[i]];
        }
        learner.replaceBatch(new HostBatch(mixed, batch.labels(), batch.indices(), batch.count(), batch.size()));
        learner.setBatchLoss(mixedLoss(learner.lossFunction(), mix.lambda(), partnerLabels));
    }

    /** {@code λ·base(y) + (1-λ)·base(y')}, the partners' labels made on the batch's own manager. */
    static LossFunction mixedLoss(LossFunction base, double lambda, long[] partnerLabels) {
        return (logits, labels) -> {
            NDArray partners = labels.getManager().create(partnerLabels);
            return base.mean(logits, labels).mul((float) lambda).add(base.mean(logits, partners).mul((float) (1 - lambda)));
        };
    }
}
