package org.smearscan.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * SGD with momentum and decoupled weight decay. DJL's fused kernel keeps the velocity as the sum of
 * {@code lr * grad} (MXNet's form); with a constant rate this equals PyTorch's SGD, under a schedule the
 * rate of each past gradient is the rate of its own step.
 */
public final class SgdMomentum extends ScheduledOptimizer {

    public SgdMomentum(List<List<NamedParameter>> groups, double weightDecay, double momentum, NDManager stateManager) {
        super(groups, weightDecay, momentum, stateManager);
    }

    @Override
    protected int stateArrays() {
        return 1;
    }

    @Override
    protected void apply(Slot slot, NDArray weight, NDArray grad, float lr, float wd) {
        if (wd != 0f) {
            weight.muli(1f - lr * wd);
        }
        weight.getNDArrayInternal().sgdUpdate(
                new NDList(weight, grad, slot.state[0]), new NDList(weight),
                lr, 0f, 1f, -1f, (float) momentum(), false);
    }
}
