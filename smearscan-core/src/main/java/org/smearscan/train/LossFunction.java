package org.smearscan.train;

import ai.djl.ndarray.NDArray;

/** fastai's {@code loss_func}: the mean loss of a batch, from logits (N, classes) and int64 class labels (N). */
@FunctionalInterface
public interface LossFunction {
    NDArray mean(NDArray logits, NDArray labels);

    /** Cross-entropy over the softmax of the logits. */
    LossFunction CROSS_ENTROPY = (logits, labels) ->
            logits.logSoftmax(1).gather(labels.reshape(-1, 1), 1).mean().neg();
}
