package org.smearscan.model;

import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * Builds networks in torchvision's layout. DJL's own ResNetV1 becomes a bottleneck net above 28 px
 * even when asked for 18 layers, so the layout is spelled out here.
 */
public final class Networks {
    private Networks() {}

    public static CellNet build(ModelSpec spec) {
        SequentialBlock body;
        int features;
        switch (spec.architecture()) {
            case RESNET18 -> {
                body = resnetBody(imagenetStem(64), new int[] {2, 2, 2, 2}, new int[] {64, 128, 256, 512});
                features = 512;
            }
            case RESNET34 -> {
                body = resnetBody(imagenetStem(64), new int[] {3, 4, 6, 3}, new int[] {64, 128, 256, 512});
                features = 512;
            }
            case COMPACT, COMPACT_SLIM -> {
                int w = spec.architecture().compactWidth();
                body = resnetBody(compactStem(w), new int[] {2, 2, 2, 2}, new int[] {w, 2 * w, 4 * w, 8 * w});
                features = 8 * w;
            }
            case TORCHSCRIPT -> throw new IllegalArgumentException(
                    "a TorchScript body comes from a file: use Networks.withBody(spec, TorchScriptBody.load(...))");
            default -> throw new IllegalStateException("unhandled architecture " + spec.architecture());
        }
        return new CellNet(spec, body, head(spec.head(), features, spec.numClasses()));
    }

    /** A network on a TorchScript body, with the spec's head (its input width is inferred on initialisation). */
    public static CellNet withBody(ModelSpec spec, TorchScriptBody torchScript) {
        if (spec.architecture() != Architecture.TORCHSCRIPT) {
            throw new IllegalArgumentException("a TorchScript body needs architecture torchscript, got "
                    + spec.architecture());
        }
        return new CellNet(spec, new SequentialBlock().add(torchScript), head(spec.head(), 0, spec.numClasses()));
    }

    /** A head for a body whose last feature map has {@code features} channels. */
    public static SequentialBlock head(HeadType type, int features, int classes) {
        SequentialBlock head = new SequentialBlock();
        if (type == HeadType.LINEAR) {
            return head.add(Pool.globalAvgPool2dBlock()).add(Linear.builder().setUnits(classes).build());
        }
        // fastai's create_head: AdaptiveConcatPool2d, Flatten, then two LinBnDrop blocks. LinBnDrop
        // drops the linear bias because the batch norm before the next layer makes it redundant.
        ParallelBlock concatPool = new ParallelBlock(
                lists -> new NDList(lists.get(0).singletonOrThrow().concat(lists.get(1).singletonOrThrow(), 1)),
                Arrays.asList(Pool.globalAvgPool2dBlock(), Pool.globalMaxPool2dBlock()));
        return head.add(concatPool)
                .add(BatchNorm.builder().build())
                .add(Dropout.builder().optRate(0.25f).build())
                .add(Linear.builder().setUnits(512).optBias(false).build())
                .add(Activation.reluBlock())
                .add(BatchNorm.builder().build())
                .add(Dropout.builder().optRate(0.5f).build())
                .add(Linear.builder().setUnits(classes).optBias(false).build());
    }

    private static SequentialBlock imagenetStem(int width) {
        return new ReleasingSequentialBlock()
                .add(conv(width, 7, 2, 3))
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                .add(new MaxPool(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1)));
    }

    /** Keeps 4x more resolution than the ImageNet stem: parasites are a few pixels wide at 64 px. */
    private static SequentialBlock compactStem(int width) {
        return new ReleasingSequentialBlock()
                .add(conv(width, 3, 2, 1))
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock());
    }

    /** body = [stem, layer1, layer2, layer3, layer4], the children that layer groups refer to. */
    private static SequentialBlock resnetBody(SequentialBlock stem, int[] blocks, int[] widths) {
        SequentialBlock body = new ReleasingSequentialBlock().add(stem);
        int inWidth = stemWidth(stem);
        for (int stage = 0; stage < blocks.length; stage++) {
            SequentialBlock layer = new ReleasingSequentialBlock();
            for (int i = 0; i < blocks[stage]; i++) {
                int stride = (stage > 0 && i == 0) ? 2 : 1;
                boolean project = stride != 1 || inWidth != widths[stage];
                layer.add(basicBlock(widths[stage], stride, project));
                inWidth = widths[stage];
            }
            body.add(layer);
        }
        return body;
    }

    private static int stemWidth(SequentialBlock stem) {
        return ((Conv2d) stem.getChildren().get(0).getValue()).getFilters();
    }

    private static Block basicBlock(int width, int stride, boolean project) {
        SequentialBlock main = new ReleasingSequentialBlock()
                .add(conv(width, 3, stride, 1))
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                .add(conv(width, 3, 1, 1))
                .add(BatchNorm.builder().build());
        Block shortcut = project
                ? new ReleasingSequentialBlock().add(conv(width, 1, stride, 0)).add(BatchNorm.builder().build())
                : Blocks.identityBlock();
        return new ResidualBlock(main, shortcut);
    }

    private static Conv2d conv(int filters, int kernel, int stride, int padding) {
        return new SmallMapConv2d(Conv2d.builder()
                .setFilters(filters)
                .setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(padding, padding))
                .optBias(false));
    }
}
