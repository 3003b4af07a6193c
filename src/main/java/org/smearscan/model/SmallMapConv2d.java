package org.smearscan.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A Conv2d that, in training, computes output maps of at most {@value #MAX_MATMUL_PIXELS} pixels as one
 * matrix product over explicitly gathered patches (im2col). Same parameters, same result within float
 * rounding; only the kernel differs.
 *
 * <p>Why: for resnet18's last stage at 64 px (512 channels of 2x2) oneDNN picks a gemm-based
 * backward-weights kernel that spends most of its time reducing per-thread copies of the 512x512x3x3
 * weight gradient. One conv's forward + backward took 166-188 ms that way and 88-93 ms as a matrix product
 * (2 threads, batch 64); at 4x4 and larger the native kernel wins, so it keeps those. Inference always
 * uses the native kernel.
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
        long outPixels = (in.get(2) + 2 * padding.get(0) - kernelShape.get(0) + 1)
                * (in.get(3) + 2 * padding.get(1) - kernelShape.get(1) + 1);
        return in.dimension() == 4 && groups == 1 && outPixels <= MAX_MATMUL_PIXELS
                && stride.get(0) == 1 && stride.get(1) == 1 && dilation.get(0) == 1 && dilation.get(1) == 1;
    }

    /** Stride-1 convolution of x (N,C,H,W) with w (O,C,KH,KW) and optional bias (O) as im2col + matmul. */
    static NDArray asMatmul(NDArray x, NDArray w, NDArray b, Shape padding) {
        long n = x.getShape().get(0);
        long c = x.getShape().get(1);
        long o = w.getShape().get(0);
        int kh = (int) w.getShape().get(2);
        int kw = (int) w.getShape().get(3);
        long ph = padding.get(0);
        long pw = padding.get(1);
        long oh = x.getShape().get(2) + 2 * ph - kh + 1;
        long ow = x.getShape().get(3) + 2 * pw - kw + 1;
        NDList temporaries = new NDList();
        NDArray padded = ph == 0 && pw == 0 ? x : keep(temporaries, x.pad(new Shape(pw, pw, ph, ph), 0));
        NDList windows = new NDList(kh * kw);
        for (int i = 0; i < kh; i++) {
            for (int j = 0; j < kw; j++) {
                windows.add(padded.get(new NDIndex(":, :, {}:{}, {}:{}", i, i + oh, j, j + ow)));
            }
        }
        temporaries.addAll(windows);
        // (N, C, KH*KW, OH, OW) -> rows of (C, KH, KW) patches, the order of w's flattened rows
        NDArray stacked = keep(temporaries, NDArrays.stack(windows, 2));
        NDArray patches = keep(temporaries, keep(temporaries, stacked.transpose(0, 3, 4, 1, 2))
                .reshape(n * oh * ow, c * kh * kw));
        NDArray kernel = keep(temporaries, keep(temporaries, w.reshape(o, c * kh * kw)).transpose());
        NDArray product = keep(temporaries, patches.matMul(kernel));
        if (b != null) {
            product = keep(temporaries, product.add(b));
        }
        NDArray out = keep(temporaries, product.reshape(n, oh, ow, o)).transpose(0, 3, 1, 2);
        temporaries.close(); // autograd holds what backward needs
        return out;
    }

    private static NDArray keep(NDList temporaries, NDArray array) {
        temporaries.add(array);
        return array;
    }
}
