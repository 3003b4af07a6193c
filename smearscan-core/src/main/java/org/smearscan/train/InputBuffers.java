package org.smearscan.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.smearscan.data.HostBatch;

/**
 * Moves a host batch into the engine without per-batch allocation: the pixels are copied once into a
 * reused direct buffer, which PyTorch wraps without another copy. The arrays made from it must be closed
 * (with their batch manager) before the next batch is loaded, which the one-batch-at-a-time loops of the
 * learner and of {@link org.smearscan.train.callback.PreciseBatchNorm} guarantee.
 */
public final class InputBuffers {
    private ByteBuffer pixels = ByteBuffer.allocateDirect(0);
    private ByteBuffer labels = ByteBuffer.allocateDirect(0);

    public NDArray images(NDManager manager, HostBatch batch) {
        int floats = batch.count() * 3 * batch.size() * batch.size();
        if (batch.pixels().length < floats) {
            throw new IllegalArgumentException("batch holds " + batch.pixels().length + " floats, expected " + floats);
        }
        if (pixels.capacity() < floats * 4) {
            pixels = ByteBuffer.allocateDirect(floats * 4).order(ByteOrder.nativeOrder());
        }
        pixels.clear();
        pixels.asFloatBuffer().put(batch.pixels(), 0, floats);
        pixels.limit(floats * 4);
        return manager.create(pixels, new Shape(batch.count(), 3, batch.size(), batch.size()), DataType.FLOAT32);
    }

    /** Labels as int64, the index type PyTorch's gather needs. */
    public NDArray labels(NDManager manager, HostBatch batch) {
        int n = batch.count();
        if (labels.capacity() < n * 8) {
            labels = ByteBuffer.allocateDirect(Math.max(n, 64) * 8).order(ByteOrder.nativeOrder());
        }
        labels.clear();
        for (int i = 0; i < n; i++) {
            labels.putLong(i * 8, batch.labels()[i]);
        }
        labels.limit(n * 8);
        return manager.create(labels, new Shape(n), DataType.INT64);
    }
}
