package org.smearscan.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A Conv2d that, in training, computes output maps of at most {@value #MAX_MATMUL_PIXELS} pixels as
 * matrix products over gathered patches (im2col). Same parameters, same result within float rounding;
 * only the kernel differs.
 *
 * <p>Why: for resnet18's last stage at 64 px (512 channels of 2x2) oneDNN picks a gemm-based
 * backward-weights kernel that spends most of its time reducing per-thread copies of the 512x512x3x3
 * weight gradient. One conv's forward + backward took 123-188 ms that way and 54-57 ms as matrix
 * products (2 threads, batch 64). At 4x4 and 8x8 the native kernel beat an earlier, sliced form of this
 * (BENCHMARKS.md), so larger maps keep it. Inference always uses the native kernel.
 */
public final class SmallMapConv2d extends Conv2d {
    static final int MAX_MATMUL_PIXELS = 4;

    public SmallMapConv2d(Conv2d.Builder builder) {
        super(builder);
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Shape in = x.getShape();
        if (!training || !matmulApplies(in)) {
            return super.forwardInternal(parameterStore, inputs, training, params);
        }
        NDArray w = parameterStore.getValue(weight, x.getDevice(), training);
        NDArray b = includeBias ? parameterStore.getValue(bias, x.getDevice(), training) : null;
        return new NDList(asMatmul(x, w, b, padding));
    }

    private boolean matmulApplies(Shape in) {
        if (in.dimension() != 4 || groups != 1 || stride.get(0) != 1 || stride.get(1) != 1
                || dilation.get(0) != 1 || dilation.get(1) != 1) {
            return false;
        }
        long outPixels = (in.get(2) + 2 * padding.get(0) - kernelShape.get(0) + 1)
                * (in.get(3) + 2 * padding.get(1) - kernelShape.get(1) + 1);
        return outPixels <= MAX_MATMUL_PIXELS;
    }

    /**
     * Stride-1 convolution of x (N,C,H,W) with w (O,C,KH,KW) and optional bias (O) as two matrix products.
     * The patches are gathered by multiplying each channel's pixels with a constant 0/1 selection matrix
     * (pixel -> output pixel and tap), whose backward pass is again a product; slicing a padded copy
     * instead cost a zero-filled gradient buffer per tap and was 15-25 ms slower per convolution.
     */
    static NDArray asMatmul(NDArray x, NDArray w, NDArray b, Shape padding) {
        long n = x.getShape().get(0);
        long c = x.getShape().get(1);
        int h = (int) x.getShape().get(2);
        int wd = (int) x.getShape().get(3);
        long o = w.getShape().get(0);
        int kh = (int) w.getShape().get(2);
        int kw = (int) w.getShape().get(3);
        int oh = h + 2 * (int) padding.get(0) - kh + 1;
        int ow = wd + 2 * (int) padding.get(1) - kw + 1;
        int taps = kh * kw;
        float[] select = new float[h * wd * oh * ow * taps];
        for (int py = 0; py < oh; py++) {
            for (int px = 0; px < ow; px++) {
                for (int i = 0; i < kh; i++) {
                    for (int j = 0; j < kw; j++) {
                        int qy = py + i - (int) padding.get(0);
                        int qx = px + j - (int) padding.get(1);
                        if (qy >= 0 && qy < h && qx >= 0 && qx < wd) { // outside: padding, stays 0
                            select[((qy * wd + qx) * oh * ow + py * ow + px) * taps + i * kw + j] = 1f;
                        }
                    }
                }
            }
        }
        try (NDScope temporaries = new NDScope()) { // closes every intermediate; autograd keeps what it needs
            NDArray selection = x.getManager().create(select, new Shape(h * wd, oh * ow * taps));
            // (N*C, pixels) x (pixels, outPixels*taps) -> rows of (C, KH, KW) patches, the order of w's rows
            NDArray patches = x.reshape(n * c, h * wd).matMul(selection)
                    .reshape(n, c, oh * ow, taps).transpose(0, 2, 1, 3).reshape(n * oh * ow, c * taps);
            NDArray product = patches.matMul(w.reshape(o, c * taps).transpose());
            if (b != null) {
                product = product.add(b);
            }
            // flatten + reshape makes the output a contiguous NCHW copy. Left with the transpose's strides
            // (channels last), the layers after it made training vary from run to run: the test model's
            // score on 40 cells was 30, 39, 39, 39 in four runs, and 40 in five runs with the copy.
            NDArray out = product.reshape(n, oh, ow, o).transpose(0, 3, 1, 2).flatten().reshape(n, o, oh, ow);
            NDScope.unregister(out);
            return out;
        }
    }
}
