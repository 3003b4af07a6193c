package org.smearscan.testing;

import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;
import java.util.Random;
import org.smearscan.data.Normalization;
import org.smearscan.data.ResizeMethod;
import org.smearscan.data.Transforms;
import org.smearscan.model.Architecture;
import org.smearscan.model.CellNet;
import org.smearscan.model.HeadType;
import org.smearscan.model.ModelSpec;
import org.smearscan.model.Networks;
import org.smearscan.train.ArrayBatchSource;
import org.smearscan.train.Initialization;

/** Small synthetic data and networks for the training tests. */
public final class TrainFixtures {
    private TrainFixtures() {}

    /** Synthetic cells as normalised CHW floats: even indices parasitized (label 0), odd uninfected (1). */
    public record Images(float[][] pixels, int[] labels, int size) {
        public ArrayBatchSource training(int batchSize, long seed) {
            return new ArrayBatchSource(pixels, labels, size, batchSize, true, true, seed);
        }

        public ArrayBatchSource validation(int batchSize) {
            return new ArrayBatchSource(pixels, labels, size, batchSize, false, false, 0);
        }
    }

    public static Images cells(int count, int size, long seed) {
        Random rnd = new Random(seed);
        float[][] pixels = new float[count][3 * size * size];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            boolean parasitized = i % 2 == 0;
            BufferedImage image = SyntheticCells.cell(rnd, parasitized, size + rnd.nextInt(8), size + rnd.nextInt(8));
            byte[] hwc = Transforms.resizeToRgb(image, size, ResizeMethod.SQUISH);
            Transforms.toNormalisedChw(hwc, size, 0, Normalization.IMAGENET, pixels[i], 0);
            labels[i] = parasitized ? 0 : 1;
        }
        return new Images(pixels, labels, size);
    }

    /** Random noise images with random labels: for memory and resume tests where learning is beside the point. */
    public static Images noise(int count, int size, long seed) {
        Random rnd = new Random(seed);
        float[][] pixels = new float[count][3 * size * size];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            for (int j = 0; j < pixels[i].length; j++) {
                pixels[i][j] = (float) rnd.nextGaussian();
            }
            labels[i] = rnd.nextInt(2);
        }
        return new Images(pixels, labels, size);
    }

    public static CellNet compact(NDManager manager, int size, long seed) {
        CellNet net = Networks.build(new ModelSpec(Architecture.COMPACT, HeadType.FASTAI, 2));
        Initialization.initialize(net, manager, size, seed);
        return net;
    }
}
