package org.smearscan.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A sequence that frees each intermediate output as soon as the next block has consumed it.
 *
 * <p>DJL keeps every array a forward pass creates until the batch's NDManager closes, so a training step
 * holds all activations at once, and the backward pass must take fresh memory for its gradients. Closing
 * the Java handle early is safe: autograd keeps its own reference to what backward needs and frees it
 * once used, as PyTorch in Python does. Training at 64 px took fewer milliseconds per batch this way
 * (BENCHMARKS.md).
 */
public class ReleasingSequentialBlock extends SequentialBlock {

    @Override
    public SequentialBlock add(Block block) {
        if (block != null) {
            addChildBlock(BlockNames.of(block), block);
        }
        return this;
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        if (isReturnIntermediate()) {
            return super.forwardInternal(parameterStore, inputs, training, params);
        }
        NDList current = inputs;
        for (Block block : getChildren().values()) {
            NDList next = block.forward(parameterStore, current, training, params);
            if (current != inputs) {
                closeAllBut(current, next);
            }
            current = next;
        }
        return current;
    }

    /** Closes the arrays of {@code consumed} that were not passed on unchanged into {@code kept}. */
    static void closeAllBut(NDList consumed, NDList kept) {
        for (NDArray array : consumed) {
            boolean passedOn = false;
            for (NDArray k : kept) {
                passedOn |= k == array;
            }
            if (!passedOn) {
                array.close();
            }
        }
    }
}
