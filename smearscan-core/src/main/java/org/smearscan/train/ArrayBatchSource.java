package org.smearscan.train;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import org.smearscan.data.HostBatch;

/**
 * Batches from images already in memory as normalised CHW floats: for tests, benchmarks and small
 * experiments. Training order is a shuffle drawn from (seed, epoch); no augmentation.
 */
public final class ArrayBatchSource implements BatchSource {
    private final float[][] images;
    private final int[] labels;
    private final int size;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final boolean dropLast;

    /**
     * @param images   one normalised CHW image per entry, {@code 3*size*size} floats each
     * @param shuffle  reorder every epoch (training) or keep the order (validation)
     * @param dropLast skip a last partial batch (training, as fastai does: tiny batches upset BatchNorm)
     */
    public ArrayBatchSource(float[][] images, int[] labels, int size, int batchSize, boolean shuffle, boolean dropLast,
            long seed) {
        if (images.length != labels.length) {
            throw new IllegalArgumentException(images.length + " images but " + labels.length + " labels");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive");
        }
        this.images = images;
        this.labels = labels;
        this.size = size;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.dropLast = dropLast;
        this.seed = seed;
    }

    @Override
    public int batchesPerEpoch() {
        return dropLast ? images.length / batchSize : (images.length + batchSize - 1) / batchSize;
    }

    @Override
    public int imageCount() {
        return dropLast ? batchesPerEpoch() * batchSize : images.length;
    }

    @Override
    public Iterator<HostBatch> epoch(int epoch) {
        int[] order = new int[images.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        if (shuffle) {
            SplittableRandom rnd = new SplittableRandom(seed * 31 + epoch);
            for (int i = order.length - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        int plane = 3 * size * size;
        int batches = batchesPerEpoch();
        return new Iterator<>() {
            int next;

            @Override
            public boolean hasNext() {
                return next < batches;
            }

            @Override
            public HostBatch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int from = next * batchSize;
                int count = Math.min(batchSize, order.length - from);
                float[] pixels = new float[count * plane];
                int[] batchLabels = new int[count];
                int[] indices = new int[count];
                for (int i = 0; i < count; i++) {
                    int idx = order[from + i];
                    System.arraycopy(images[idx], 0, pixels, i * plane, plane);
                    batchLabels[i] = labels[idx];
                    indices[i] = idx;
                }
                next++;
                return new HostBatch(pixels, batchLabels, indices, count, size);
            }
        };
    }
}
