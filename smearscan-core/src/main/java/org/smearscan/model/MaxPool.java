package org.smearscan.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.pooling.Pool;

/**
 * 2-D max pooling (floor mode), as DJL's {@code Pool.maxPool2dBlock}, but with its geometry readable so an
 * exporter can write it out. It is still a {@link LambdaBlock} to DJL, so parameter paths do not change.
 */
public final class MaxPool extends LambdaBlock {
    private final Shape kernel;
    private final Shape stride;
    private final Shape padding;

    public MaxPool(Shape kernel, Shape stride, Shape padding) {
        super(inputs -> new NDList(Pool.maxPool2d(inputs.singletonOrThrow(), kernel, stride, padding, false)),
                "maxPool2d");
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
    }

    public Shape kernel() {
        return kernel;
    }

    public Shape stride() {
        return stride;
    }

    public Shape padding() {
        return padding;
    }
}
