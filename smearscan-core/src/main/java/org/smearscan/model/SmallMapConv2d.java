package org.smearscan.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
        NDArray selection = Selections.of(x.getDevice(), h, wd, kh, kw, (int) padding.get(0), (int) padding.get(1));
        try (NDScope temporaries = new NDScope()) { // closes every intermediate; autograd keeps what it needs
            // (N*C, pixels) x (pixels, outPixels*taps) -> rows of (C, KH, KW) patches, the order of w's rows
            NDArray patches = x.reshape(n * c, h * wd).matMul(selection)
                    .reshape(n, c, oh * ow, taps).transpose(0, 2, 1, 3).reshape(n * oh * ow, c * taps);
            NDArray product = patches.matMul(w.reshape(o, c * taps).transpose());
            if (b != null) {
                product = product.add(b);
            }
            // flatten + reshape makes the output a contiguous NCHW copy (0.5 MB at resnet18's last stage), the
            // layout the native convolution returns. It was added against run-to-run variance that the
            // freed selection buffer (see Selections) explains; it is kept so the layers after this one see
            // the same strides on either path.
            NDArray out = product.reshape(n, oh, ow, o).transpose(0, 3, 1, 2).flatten().reshape(n, o, oh, ow);
            NDScope.unregister(out);
            return out;
        }
    }

    /**
     * The selection matrices, one per device and geometry, built once and kept for the life of the JVM
     * (a 2x2 map with a 3x3 kernel is 4 x 36 floats).
     *
     * <p>Why they must be owned by PyTorch: autograd keeps the matrix for the backward pass of
     * {@code x.matMul(selection)}. DJL's {@code create(float[])} wraps a Java direct buffer without copying
     * ({@code from_blob}); once that array's handle was closed (the forward pass's scope did), a garbage
     * collection between forward and backward freed the memory autograd then read, and training went to NaN
     * depending on when the collector ran. {@link #of} keeps a PyTorch-owned copy instead.
     */
    private static final class Selections {
        private record Key(Device device, int h, int w, int kh, int kw, int padH, int padW) {}

        private static final Map<Device, NDManager> MANAGERS = new ConcurrentHashMap<>();
        private static final Map<Key, NDArray> CACHE = new ConcurrentHashMap<>();

        static NDArray of(Device device, int h, int w, int kh, int kw, int padH, int padW) {
            return CACHE.computeIfAbsent(new Key(device, h, w, kh, kw, padH, padW), Selections::build);
        }

        private static NDArray build(Key k) {
            int oh = k.h + 2 * k.padH - k.kh + 1;
            int ow = k.w + 2 * k.padW - k.kw + 1;
            int taps = k.kh * k.kw;
            float[] select = new float[k.h * k.w * oh * ow * taps];
            for (int py = 0; py < oh; py++) {
                for (int px = 0; px < ow; px++) {
                    for (int i = 0; i < k.kh; i++) {
                        for (int j = 0; j < k.kw; j++) {
                            int qy = py + i - k.padH;
                            int qx = px + j - k.padW;
                            if (qy >= 0 && qy < k.h && qx >= 0 && qx < k.w) { // outside: padding, stays 0
                                select[((qy * k.w + qx) * oh * ow + py * ow + px) * taps + i * k.kw + j] = 1f;
                            }
                        }
                    }
                }
            }
            NDManager manager = MANAGERS.computeIfAbsent(k.device, NDManager::newBaseManager);
            // Made outside any caller's NDScope, which would otherwise close the cached array.
            try (NDArray wrapped = manager.create(select, new Shape((long) k.h * k.w, (long) oh * ow * taps))) {
                NDScope.unregister(wrapped);
                NDArray owned = wrapped.duplicate(); // a copy in memory PyTorch allocated and owns
                NDScope.unregister(owned);
                return owned;
            }
        }
    }
}
