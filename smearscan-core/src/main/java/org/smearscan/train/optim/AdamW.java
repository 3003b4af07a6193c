package org.smearscan.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * Adam with decoupled weight decay, through DJL's fused native update (one call per parameter).
 * Defaults follow fastai: beta2 0.99, eps 1e-5, weight decay 0.01. Bias correction uses the current
 * beta1, as PyTorch and fastai do when momentum is cycled.
 */
public final class AdamW extends ScheduledOptimizer {
    private final float beta2;
    private final double eps;

    public AdamW(List<List<NamedParameter>> groups, double weightDecay, double beta1, double beta2, double eps,
            NDManager stateManager) {
        super(groups, weightDecay, beta1, stateManager);
        this.beta2 = (float) beta2;
        this.eps = eps;
    }

    public static AdamW withDefaults(List<List<NamedParameter>> groups, double weightDecay, NDManager stateManager) {
        return new AdamW(groups, weightDecay, 0.9, 0.99, 1e-5, stateManager);
    }

    @Override
    protected int stateArrays() {
        return 2;
    }

    @Override
    protected void apply(Slot slot, NDArray weight, NDArray grad, float lr, float wd) {
        float beta1 = (float) momentum();
        double bc1 = 1 - Math.pow(beta1, slot.step);
        double sqrtBc2 = Math.sqrt(1 - Math.pow(beta2, slot.step));
        // The native kernel computes w -= lr' * m / (sqrt(v) + eps'). With lr' = lr*sqrt(bc2)/bc1 and
        // eps' = eps*sqrt(bc2) that equals PyTorch's w -= lr/bc1 * m / (sqrt(v)/sqrt(bc2) + eps) exactly.
        float stepSize = (float) (lr * sqrtBc2 / bc1);
        float epsHat = (float) (eps * sqrtBc2);
        if (wd != 0f) {
            weight.muli(1f - lr * wd);
        }
        NDArray[] s = slot.state;
        // Decay is applied above in one in-place pass. The kernel's own AdamW branch computes
        // w - w*lr*wd with two temporaries for every parameter, even when wd is 0; its Adam branch with
        // wd = 0 costs a single pass and is otherwise the same update.
        weight.getNDArrayInternal().adamUpdate(
                new NDList(weight, grad, s[0], s[1]), new NDList(weight),
                lr, stepSize, 0f, 1f, -1f, beta1, beta2, epsHat, false, false);
    }
}
