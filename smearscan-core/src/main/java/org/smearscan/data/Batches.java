package org.smearscan.data;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Epochs of normalised NCHW batches drawn from an {@link ImageCache}.
 *
 * <p>Deterministic: the order of an epoch and every random choice in a batch derive from
 * {@code (seed, epoch, batch index)} only, so a background thread preparing the next batch gives exactly the
 * batches a single thread would. Augmentation is the dihedral group (any flip or quarter turn; a cell has
 * no up or down) and an optional small brightness/contrast jitter; nothing warps the cell.
 *
 * <p>Speed: each image's bytes are copied out of the mapped cache once and mapped to floats through
 * per-view index tables and 256-entry lookup tables, so there is no per-pixel arithmetic or call.
 */
public final class Batches {
    private final ImageCache cache;
    private final int[] slots;
    private final int batchSize;
    private final Normalization normalization;
    private final boolean shuffle;
    private final boolean dihedral;
    private final float brightness;
    private final float contrast;
    private final float stain;
    private final boolean dropLast;
    private final long seed;
    private final int prefetch;
    private final int size;
    private final int plane;
    /** For each dihedral view, the source pixel of every output pixel. */
    private final int[][] viewTables;
    /** The plain normalisation as lookup tables, one per channel, used when there is no jitter. */
    private final float[][] baseLut;

    private Batches(Builder b) {
        this.cache = b.cache;
        this.slots = b.slots.clone();
        this.batchSize = b.batchSize;
        this.normalization = b.normalization;
        this.shuffle = b.shuffle;
        this.dihedral = b.dihedral;
        this.brightness = b.brightness;
        this.contrast = b.contrast;
        this.stain = b.stain;
        // Dropping the short last batch must not leave an epoch with no batch at all.
        this.dropLast = b.dropLast && slots.length >= batchSize;
        this.seed = b.seed;
        this.prefetch = b.prefetch;
        this.size = cache.size();
        this.plane = size * size;
        this.viewTables = new int[dihedral ? 8 : 1][];
        for (int v = 0; v < viewTables.length; v++) {
            int[] table = new int[plane];
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    table[y * size + x] = 3 * Transforms.dihedralSource(v, x, y, size);
                }
            }
            viewTables[v] = table;
        }
        this.baseLut = lookupTables(normalization, 1f, 0f, new float[] {1f, 1f, 1f});
    }

    /**
     * Training batches: shuffled each epoch, a random dihedral view per image, the short last batch dropped
     * (a batch of one breaks batch normalisation).
     */
    public static Batches training(ImageCache cache, int[] slots, int batchSize, Normalization norm, long seed) {
        return builder(cache, slots).batchSize(batchSize).normalization(norm).seed(seed).build();
    }

    /** Validation batches: in slot order, unaugmented, every image once. */
    public static Batches validation(ImageCache cache, int[] slots, int batchSize, Normalization norm) {
        return builder(cache, slots).batchSize(batchSize).normalization(norm).shuffle(false).dihedral(false)
                .dropLast(false).build();
    }

    /** All settings; the defaults are the training ones. */
    public static Builder builder(ImageCache cache, int[] slots) {
        return new Builder(cache, slots);
    }

    /** Settings for {@link Batches}. Defaults: batch 64, ImageNet normalisation, shuffle, dihedral, drop last. */
    public static final class Builder {
        private final ImageCache cache;
        private final int[] slots;
        private int batchSize = 64;
        private Normalization normalization = Normalization.IMAGENET;
        private boolean shuffle = true;
        private boolean dihedral = true;
        private float brightness;
        private float contrast;
        private float stain;
        private boolean dropLast = true;
        private long seed = SplitSpec.DEFAULT_SEED;
        private int prefetch = 2;

        private Builder(ImageCache cache, int[] slots) {
            this.cache = Objects.requireNonNull(cache);
            this.slots = slots.clone();
            for (int slot : this.slots) {
                if (slot < 0 || slot >= cache.count() || !cache.isReadable(slot)) {
                    throw new IllegalArgumentException("slot " + slot + " is not a readable image of the cache");
                }
            }
        }

        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        public Builder normalization(Normalization normalization) {
            this.normalization = Objects.requireNonNull(normalization);
            return this;
        }

        /** Reorder the images every epoch (default on). */
        public Builder shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /** Show each image in a random one of the 8 flips and quarter turns (default on). */
        public Builder dihedral(boolean dihedral) {
            this.dihedral = dihedral;
            return this;
        }

        /**
         * Random brightness shift in {@code [-brightness, brightness]} (0..1 pixel scale) and contrast factor
         * in {@code [1-contrast, 1+contrast]} per image; 0 and 0 (the default) turn it off. Values above 0.5
         * are refused: stain colour carries the diagnosis, so the jitter must stay small.
         */
        public Builder jitter(float brightness, float contrast) {
            if (brightness < 0 || brightness > 0.5f || contrast < 0 || contrast > 0.5f) {
                throw new IllegalArgumentException("jitter must be within 0..0.5, got brightness " + brightness
                        + " contrast " + contrast);
            }
            this.brightness = brightness;
            this.contrast = contrast;
            return this;
        }

        /**
         * Random colour (stain) factor per channel in {@code [1-stain, 1+stain]}, drawn anew for each image and
         * channel: the shift of hue and saturation that another staining batch or white balance gives. Values
         * above 0.3 are refused for the same reason as a large lighting jitter.
         */
        public Builder stain(float stain) {
            if (!(stain >= 0 && stain <= 0.3f)) {
                throw new IllegalArgumentException("stain jitter must be within 0..0.3, got " + stain);
            }
            this.stain = stain;
            return this;
        }

        /** Leave out the last batch when it is short (default on; ignored when it is the only batch). */
        public Builder dropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Batches prepared ahead on a background thread (default 2; 0 prepares each on the caller's thread). */
        public Builder prefetch(int prefetch) {
            if (prefetch < 0) {
                throw new IllegalArgumentException("prefetch must be 0 or more");
            }
            this.prefetch = prefetch;
            return this;
        }

        public Batches build() {
            return new Batches(this);
        }
    }

    /** Images per epoch, before dropping a short last batch. */
    public int imageCount() {
        return slots.length;
    }

    public int batchSize() {
        return batchSize;
    }

    /** Side of the images, in pixels. */
    public int size() {
        return size;
    }

    /** The slots batches are drawn from; {@link HostBatch#indices()} are positions in this array. */
    public int[] slots() {
        return slots.clone();
    }

    public int batchesPerEpoch() {
        return dropLast ? slots.length / batchSize : (slots.length + batchSize - 1) / batchSize;
    }

    /** The epoch's batches in order; close it to stop the background thread early. */
    public Epoch epoch(int epoch) {
        return new Epoch(epoch);
    }

    /** One batch of an epoch, computed on the calling thread. Same result as the epoch iterator gives. */
    public HostBatch batch(int epoch, int index) {
        if (index < 0 || index >= batchesPerEpoch()) {
            throw new IndexOutOfBoundsException("batch " + index + " of " + batchesPerEpoch());
        }
        int[] order = order(epoch);
        int from = index * batchSize;
        int count = Math.min(batchSize, slots.length - from);
        float[] pixels = new float[count * 3 * plane];
        int[] labels = new int[count];
        int[] indices = new int[count];
        byte[] hwc = new byte[3 * plane];
        SplittableRandom rnd = new SplittableRandom(mix(seed, epoch, index + 1));
        boolean jitter = brightness > 0 || contrast > 0 || stain > 0;
        for (int i = 0; i < count; i++) {
            int position = order[from + i];
            int slot = slots[position];
            cache.copyPixels(slot, hwc, 0);
            int view = dihedral ? rnd.nextInt(8) : 0;
            float[][] lut = baseLut;
            if (jitter) {
                float factor = 1f + (float) (rnd.nextDouble() * 2 - 1) * contrast;
                float shift = (float) (rnd.nextDouble() * 2 - 1) * brightness;
                float[] colour = new float[3];
                for (int c = 0; c < 3; c++) {
                    colour[c] = stain > 0 ? 1f + (float) (rnd.nextDouble() * 2 - 1) * stain : 1f;
                }
                lut = lookupTables(normalization, factor, shift, colour);
            }
            fill(hwc, viewTables[view], lut, pixels, i * 3 * plane);
            labels[i] = cache.label(slot);
            indices[i] = position;
        }
        return new HostBatch(pixels, labels, indices, count, size);
    }

    /** The last epoch's order, kept so each batch does not reshuffle the whole epoch. */
    private volatile EpochOrder lastOrder;

    private record EpochOrder(int epoch, int[] order) {}

    /** The epoch's order of positions in {@link #slots()}: a seeded shuffle, or as given. */
    int[] order(int epoch) {
        EpochOrder last = lastOrder;
        if (last != null && last.epoch() == epoch) {
            return last.order();
        }
        int[] order = shuffled(epoch);
        lastOrder = new EpochOrder(epoch, order);
        return order;
    }

    private int[] shuffled(int epoch) {
        int[] order = new int[slots.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        if (shuffle) {
            SplittableRandom rnd = new SplittableRandom(mix(seed, epoch, 0));
            for (int i = order.length - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        return order;
    }

    private void fill(byte[] hwc, int[] table, float[][] lut, float[] dest, int offset) {
        float[] r = lut[0];
        float[] g = lut[1];
        float[] b = lut[2];
        int o1 = offset + plane;
        int o2 = offset + 2 * plane;
        for (int p = 0; p < plane; p++) {
            int src = table[p];
            dest[offset + p] = r[hwc[src] & 0xff];
            dest[o1 + p] = g[hwc[src + 1] & 0xff];
            dest[o2 + p] = b[hwc[src + 2] & 0xff];
        }
    }

    /**
     * Byte value to normalised float per channel, after contrast (around mid-grey) and brightness. Without
     * jitter the arithmetic is exactly {@link Transforms#toNormalisedChw}'s, so training sees bit-for-bit the
     * inputs that evaluation and deployment compute.
     */
    private static float[][] lookupTables(Normalization norm, float contrastFactor, float brightnessShift,
            float[] colour) {
        float[] mean = norm.mean();
        float[] std = norm.std();
        float[][] lut = new float[3][256];
        for (int c = 0; c < 3; c++) {
            float scale = 1f / (255f * std[c]);
            float shift = -mean[c] / std[c];
            for (int v = 0; v < 256; v++) {
                float x = v;
                if (contrastFactor != 1f || brightnessShift != 0f || colour[c] != 1f) {
                    float tinted = x * colour[c];
                    x = Math.min(255f, Math.max(0f, (tinted - 127.5f) * contrastFactor + 127.5f + 255f * brightnessShift));
                }
                lut[c][v] = x * scale + shift;
            }
        }
        return lut;
    }

    /** A well-spread seed from several numbers (SplitMix64 finaliser). */
    private static long mix(long seed, long epoch, long batch) {
        long z = seed * 0x9E3779B97F4A7C15L + epoch * 0xBF58476D1CE4E5B9L + batch * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The batches of one epoch, in order. Prepared ahead on a background thread unless prefetch is 0. */
    public final class Epoch implements Iterator<HostBatch>, AutoCloseable {
        private final int epoch;
        private final int total;
        private final BlockingQueue<Object> ready;
        private final Thread producer;
        private int delivered;
        private volatile boolean closed;

        private Epoch(int epoch) {
            this.epoch = epoch;
            this.total = batchesPerEpoch();
            if (prefetch > 0 && total > 0) {
                ready = new ArrayBlockingQueue<>(prefetch);
                producer = new Thread(this::produce, "batches-epoch-" + epoch);
                producer.setDaemon(true);
                producer.start();
            } else {
                ready = null;
                producer = null;
            }
        }

        private void produce() {
            try {
                for (int i = 0; i < total && !closed; i++) {
                    ready.put(batch(epoch, i));
                }
            } catch (InterruptedException e) {
                // closed early: nothing more to make
            } catch (RuntimeException | Error e) {
                try {
                    ready.put(e);
                } catch (InterruptedException ignored) {
                    // closed while reporting: the consumer is gone
                }
            }
        }

        @Override
        public boolean hasNext() {
            return !closed && delivered < total;
        }

        @Override
        public HostBatch next() {
            if (!hasNext()) {
                throw new NoSuchElementException("epoch " + epoch + " has " + total + " batches");
            }
            if (producer == null) {
                return batch(epoch, delivered++);
            }
            Object item;
            try {
                item = ready.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a batch", e);
            }
            if (item instanceof RuntimeException e) {
                close();
                throw e;
            }
            if (item instanceof Error e) {
                close();
                throw e;
            }
            delivered++;
            return (HostBatch) item;
        }

        /** Stops the background thread; batches not yet taken are dropped. */
        @Override
        public void close() {
            closed = true;
            if (producer != null) {
                producer.interrupt();
                ready.clear();
            }
        }
    }
}
