package org.smearscan.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmallMapConv2dTest {

    /** Output and both gradients of a function of (x, w, b), for comparing two ways of convolving. */
    private interface Convolve {
        NDArray apply(NDArray x, NDArray w, NDArray b);
    }

    private static NDArray[] outputAndGradients(NDManager manager, Shape xShape, Shape wShape, long seed,
            Convolve convolve) {
        Engine.getInstance().setRandomSeed((int) seed);
        NDArray x = manager.randomNormal(xShape);
        NDArray w = manager.randomNormal(wShape);
        NDArray b = manager.randomNormal(new Shape(wShape.get(0)));
        for (NDArray a : new NDArray[] {x, w, b}) {
            a.setRequiresGradient(true);
        }
        NDArray y;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            y = convolve.apply(x, w, b);
            Engine.getInstance().setRandomSeed((int) seed + 1);
            NDArray upstream = manager.randomNormal(y.getShape());
            collector.backward(y.mul(upstream).sum());
        }
        return new NDArray[] {y.duplicate(), x.getGradient().duplicate(), w.getGradient().duplicate(),
                b.getGradient().duplicate()};
    }

    @Test
    void matmulFormGivesTheConvolutionsOutputAndGradients() {
        // resnet18's last stage at 64 px; a 1x1 map where 8 of 9 taps fall on padding; no padding at all;
        // a non-square kernel with padding on one axis only
        assertSameAsConvolution(new Shape(4, 16, 2, 2), new Shape(8, 16, 3, 3), new Shape(1, 1));
        assertSameAsConvolution(new Shape(2, 3, 1, 1), new Shape(5, 3, 3, 3), new Shape(1, 1));
        assertSameAsConvolution(new Shape(2, 3, 3, 3), new Shape(4, 3, 3, 3), new Shape(0, 0));
        assertSameAsConvolution(new Shape(2, 3, 2, 3), new Shape(4, 3, 3, 2), new Shape(1, 0));
    }

    private static void assertSameAsConvolution(Shape x, Shape w, Shape padding) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray[] nativeConv = outputAndGradients(manager, x, w, 3, (xs, ws, bs) -> Conv2d.conv2d(xs, ws, bs,
                    new Shape(1, 1), padding, new Shape(1, 1), 1).singletonOrThrow());
            NDArray[] matmul = outputAndGradients(manager, x, w, 3,
                    (xs, ws, bs) -> SmallMapConv2d.asMatmul(xs, ws, bs, padding));
            String[] what = {"output", "input gradient", "weight gradient", "bias gradient"};
            for (int i = 0; i < what.length; i++) {
                String label = what[i] + " for x " + x + ", w " + w + ", padding " + padding;
                assertThat(matmul[i].getShape()).as(label).isEqualTo(nativeConv[i].getShape());
                float scale = nativeConv[i].abs().max().getFloat();
                float diff = matmul[i].sub(nativeConv[i]).abs().max().getFloat();
                assertThat(diff).as(label + " (max |value| " + scale + ")").isLessThan(1e-4f * scale);
            }
        }
    }

    /**
     * Autograd keeps the selection matrix for the backward pass after the forward pass has closed its Java
     * handle. If that matrix wraps a Java direct buffer (DJL's {@code create(float[])} does, through
     * {@code from_blob}), a garbage collection between forward and backward frees the memory autograd still
     * reads. This forces that collection and refills freed native memory with NaN before every backward.
     */
    @Test
    void gradientsStayRightWhenGarbageIsCollectedBetweenForwardAndBackward() {
        Shape x = new Shape(4, 16, 2, 2);
        Shape w = new Shape(8, 16, 3, 3);
        Shape padding = new Shape(1, 1);
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int seed = 1; seed <= 5; seed++) {
                NDArray[] nativeConv = outputAndGradients(manager, x, w, seed, (xs, ws, bs) -> Conv2d.conv2d(xs, ws,
                        bs, new Shape(1, 1), padding, new Shape(1, 1), 1).singletonOrThrow());
                NDArray[] matmul = outputAndGradients(manager, x, w, seed, (xs, ws, bs) -> {
                    NDArray y = SmallMapConv2d.asMatmul(xs, ws, bs, padding);
                    collectGarbageAndScribbleOverFreedMemory();
                    return y;
                });
                String[] what = {"output", "input gradient", "weight gradient", "bias gradient"};
                for (int i = 0; i < what.length; i++) {
                    float scale = nativeConv[i].abs().max().getFloat();
                    float diff = matmul[i].sub(nativeConv[i]).abs().max().getFloat();
                    assertThat(diff).as(what[i] + ", seed " + seed + " (max |value| " + scale + ")")
                            .isLessThan(1e-4f * scale);
                }
            }
        }
    }

    private static void collectGarbageAndScribbleOverFreedMemory() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(20); // lets the cleaner thread free unreachable direct buffers
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<ByteBuffer> scribbles = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            ByteBuffer b = ByteBuffer.allocateDirect(4 * 4 * 9 * 64)
                    .order(ByteOrder.nativeOrder());
            while (b.remaining() >= 4) {
                b.putFloat(Float.NaN);
            }
            scribbles.add(b);
        }
        SCRIBBLES.add(scribbles); // kept reachable until the backward pass has run
    }

    private static final List<Object> SCRIBBLES = new ArrayList<>();

    @Test
    void trainingTakesTheMatmulOnlyForMapsOfAtMostFourPixels() {
        try (NDManager manager = NDManager.newBaseManager()) {
            assertThat(trainingGradientFunction(manager, 2)).doesNotContain("Convolution");
            assertThat(trainingGradientFunction(manager, 4)).contains("Convolution");
        }
    }

    private static String trainingGradientFunction(NDManager manager, int mapSize) {
        SmallMapConv2d conv = new SmallMapConv2d(Conv2d.builder().setFilters(8).setKernelShape(new Shape(3, 3))
                .optPadding(new Shape(1, 1)).optBias(false));
        Shape in = new Shape(2, 4, mapSize, mapSize);
        conv.initialize(manager, DataType.FLOAT32, in);
        NDArray x = manager.randomNormal(in);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray y = conv.forward(new ParameterStore(manager, false), new NDList(x), true).singletonOrThrow();
            assertThat(y.getShape()).isEqualTo(new Shape(2, 8, mapSize, mapSize));
            return JniUtils.getGradientFunctionNames((PtNDArray) y);
        }
    }
}
