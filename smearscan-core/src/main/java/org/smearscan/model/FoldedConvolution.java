package org.smearscan.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.ndarray.types.Shape;

/**
 * A convolution with a batch norm folded into it ({@link BatchNormFolding}): fixed weight and bias, no
 * trainable parameters. Its geometry and arrays are readable, so an exporter can write it out.
 */
public final class FoldedConvolution extends LambdaBlock {
    private final NDArray weight;
    private final NDArray bias;
    private final Shape stride;
    private final Shape padding;
    private final Shape dilation;
    private final int groups;

    FoldedConvolution(NDArray weight, NDArray bias, Shape stride, Shape padding, Shape dilation, int groups) {
        super(inputs -> Conv2d.conv2d(inputs.singletonOrThrow(), weight, bias, stride, padding, dilation, groups),
                "folded-conv");
        this.weight = weight;
        this.bias = bias;
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        this.groups = groups;
    }

    /** (out channels, in channels / groups, kernel height, kernel width). */
    public NDArray weight() {
        return weight;
    }

    /** One value per output channel. */
    public NDArray bias() {
        return bias;
    }

    public Shape stride() {
        return stride;
    }

    public Shape padding() {
        return padding;
    }

    public Shape dilation() {
        return dilation;
    }

    public int groups() {
        return groups;
    }
}
