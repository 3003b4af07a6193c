package org.smearscan.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.ParallelBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * A basic residual block: relu(main(x) + shortcut(x)). It frees the branch outputs and their sum once
 * the output exists, for the reason {@link ReleasingSequentialBlock} gives.
 */
public final class ResidualBlock extends ParallelBlock {

    public ResidualBlock(Block main, Block shortcut) {
        super(ResidualBlock::join);
        addChildBlock(BlockNames.of(main), main);
        addChildBlock(BlockNames.of(shortcut), shortcut);
    }

    private static NDList join(List<NDList> branches) {
        try (NDArray sum = branches.get(0).singletonOrThrow().add(branches.get(1).singletonOrThrow())) {
            return new NDList(Activation.relu(sum));
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        List<NDList> branches = new ArrayList<>(2);
        for (Block branch : getChildren().values()) {
            branches.add(branch.forward(parameterStore, inputs, training, params));
        }
        NDList out = join(branches);
        for (NDList branch : branches) {
            ReleasingSequentialBlock.closeAllBut(branch, inputs); // an identity shortcut hands back the input
        }
        return out;
    }
}
