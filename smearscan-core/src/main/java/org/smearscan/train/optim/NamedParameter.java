package org.smearscan.train.optim;

import ai.djl.nn.Parameter;

/**
 * A parameter with the path name it has in its network (stable across builds, unlike
 * {@link Parameter#getId()}), so saved optimizer state finds its parameter again.
 *
 * @param normalisation whether it is a normalisation layer's scale or shift (one value per channel)
 */
public record NamedParameter(String name, Parameter parameter, boolean normalisation) {

    /** Infers {@link #normalisation}: DJL's BatchNorm gamma and beta, or a one-dimensional weight. */
    public NamedParameter(String name, Parameter parameter) {
        this(name, parameter, looksLikeNormalisation(parameter));
    }

    private static boolean looksLikeNormalisation(Parameter p) {
        Parameter.Type type = p.getType();
        if (type == Parameter.Type.GAMMA || type == Parameter.Type.BETA) {
            return true;
        }
        // TorchScript modules call a batch norm's scale "weight"; a 1-D weight is such a scale
        return type == Parameter.Type.WEIGHT && p.getArray() != null && p.getArray().getShape().dimension() == 1;
    }

    /** BatchNorm running mean and variance: buffers the forward pass updates, never trained. */
    public boolean isRunningStatistic() {
        Parameter.Type type = parameter.getType();
        return type == Parameter.Type.RUNNING_MEAN || type == Parameter.Type.RUNNING_VAR;
    }

    /**
     * Whether weight decay applies: only to weight matrices and kernels. Biases and normalisation scales
     * and shifts are excluded, as fastai does (wd_bn_bias=False).
     */
    public boolean decays() {
        return parameter.getType() == Parameter.Type.WEIGHT
                && parameter.getArray() != null
                && parameter.getArray().getShape().dimension() > 1;
    }

    /** A normalisation layer's scale or shift. */
    public boolean isNormalisation() {
        return normalisation;
    }
}
