package org.smearscan.train.optim;

import ai.djl.nn.Parameter;

/**
 * A parameter with the path name it has in its network (stable across builds, unlike
 * {@link Parameter#getId()}), so saved optimizer state finds its parameter again.
 */
public record NamedParameter(String name, Parameter parameter) {

    /** BatchNorm running mean and variance: buffers the forward pass updates, never trained. */
    public boolean isRunningStatistic() {
        Parameter.Type type = parameter.getType();
        return type == Parameter.Type.RUNNING_MEAN || type == Parameter.Type.RUNNING_VAR;
    }

    /**
     * Whether weight decay applies: only to weight matrices and kernels. Biases and normalisation scales
     * and shifts are excluded, as fastai does (wd_bn_bias=False); TorchScript batch-norm scales are called
     * "weight", hence the rank test rather than the type alone.
     */
    public boolean decays() {
        return parameter.getType() == Parameter.Type.WEIGHT
                && parameter.getArray() != null
                && parameter.getArray().getShape().dimension() > 1;
    }

    /** A normalisation layer's scale or shift (one value per channel). */
    public boolean isNormalisation() {
        Parameter.Type type = parameter.getType();
        if (type == Parameter.Type.GAMMA || type == Parameter.Type.BETA) {
            return true;
        }
        // TorchScript modules name them weight/bias; a 1-D weight is a normalisation scale
        return type == Parameter.Type.WEIGHT && parameter.getArray() != null
                && parameter.getArray().getShape().dimension() == 1;
    }
}
