package org.smearscan.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import java.util.ArrayList;
import java.util.List;

/**
 * Folds every BatchNorm that directly follows a convolution into that convolution, for inference. In eval
 * mode a batch norm is a per-channel affine map, so conv(x, W) followed by it equals conv(x, W·s) + (β − μ·s)
 * with s = γ / √(σ² + ε). That saves a pass over every feature map, and DJL's PyTorch 2.7.1 batch norm costs
 * more per call than the convolution's bias does (bench/ops-vs-pytorch.sh).
 *
 * <p>The network is changed in place and can no longer be trained or saved: fold only a network that
 * nothing else uses, such as the one a {@code CellClassifier} loads for itself.
 */
public final class BatchNormFolding {
    /** DJL BatchNorm's default epsilon, which every batch norm {@link Networks} builds uses. */
    public static final float EPSILON = 1e-5f;

    private BatchNormFolding() {}

    /** Folds the body's conv + batch-norm pairs; returns how many. A TorchScript body is left as it is. */
    public static int fold(CellNet net) {
        if (net.spec().architecture() == Architecture.TORCHSCRIPT) {
            return 0;
        }
        return foldWithin(net.body());
    }

    private static int foldWithin(Block block) {
        if (block instanceof SequentialBlock sequence) {
            return foldSequence(sequence);
        }
        int folded = 0;
        if (block instanceof ParallelBlock parallel) { // a residual block: its branches are sequences
            for (Block branch : parallel.getChildren().values()) {
                folded += foldWithin(branch);
            }
        }
        return folded;
    }

    private static int foldSequence(SequentialBlock sequence) {
        List<Block> children = new ArrayList<>(sequence.getChildren().values());
        List<Block> rebuilt = new ArrayList<>();
        int foldedHere = 0;
        int foldedBelow = 0;
        for (int i = 0; i < children.size(); i++) {
            Block child = children.get(i);
            if (child instanceof Conv2d conv && i + 1 < children.size() && children.get(i + 1) instanceof BatchNorm bn) {
                rebuilt.add(foldedConvolution(conv, bn));
                foldedHere++;
                i++;
            } else {
                foldedBelow += foldWithin(child);
                rebuilt.add(child);
            }
        }
        if (foldedHere > 0) {
            while (!sequence.getChildren().isEmpty()) {
                sequence.removeLastBlock();
            }
            sequence.addAll(rebuilt);
        }
        return foldedHere + foldedBelow;
    }

    private static FoldedConvolution foldedConvolution(Conv2d conv, BatchNorm bn) {
        NDArray weight = conv.getParameters().get("weight").getArray();
        NDArray gamma = bn.getParameters().get("gamma").getArray();
        NDArray beta = bn.getParameters().get("beta").getArray();
        NDArray mean = bn.getParameters().get("runningMean").getArray();
        NDArray var = bn.getParameters().get("runningVar").getArray();
        NDArray scale = gamma.div(var.add(EPSILON).sqrt());
        NDArray foldedWeight = weight.mul(scale.reshape(-1, 1, 1, 1));
        NDArray shift = conv.isIncludeBias() ? conv.getParameters().get("bias").getArray().sub(mean) : mean.neg();
        NDArray foldedBias = shift.mul(scale).add(beta);
        return new FoldedConvolution(foldedWeight, foldedBias, conv.getStride(), conv.getPadding(), conv.getDilation(),
                conv.getGroups());
    }
}
