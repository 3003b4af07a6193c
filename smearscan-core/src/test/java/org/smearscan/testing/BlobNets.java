package org.smearscan.testing;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.awt.Color;
import java.awt.Graphics2D;
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

/**
 * A tiny network trained on images whose class is decided by one marked region: class 0 images carry a
 * red blob at a random place, class 1 images do not. Both carry a blue distractor blob, so "something
 * bright" is not enough: the evidence for class 0 is the red blob and only it.
 */
public final class BlobNets {
    public static final int SIZE = 32;
    public static final int RADIUS = 3;

    /** One image: its pixels, its class and where its red blob is (or -1). */
    public record BlobImage(BufferedImage image, int label, int markX, int markY) {}

    private BlobNets() {}

    public static BlobImage image(Random rnd, boolean marked) {
        BufferedImage img = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                int grey = 30 + rnd.nextInt(30);
                img.setRGB(x, y, new Color(grey, grey, grey).getRGB());
            }
        }
        int[] first = place(rnd, -100, -100);
        int[] second = place(rnd, first[0], first[1]);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(new Color(40, 60, 230));
            g.fillOval(first[0] - RADIUS, first[1] - RADIUS, 2 * RADIUS + 1, 2 * RADIUS + 1);
            g.setColor(marked ? new Color(230, 40, 40) : new Color(40, 60, 230));
            g.fillOval(second[0] - RADIUS, second[1] - RADIUS, 2 * RADIUS + 1, 2 * RADIUS + 1);
        } finally {
            g.dispose();
        }
        return new BlobImage(img, marked ? 0 : 1, marked ? second[0] : -1, marked ? second[1] : -1);
    }

    /** A blob centre inside the image and well away from the other blob. */
    private static int[] place(Random rnd, int otherX, int otherY) {
        while (true) {
            int x = RADIUS + 1 + rnd.nextInt(SIZE - 2 * RADIUS - 2);
            int y = RADIUS + 1 + rnd.nextInt(SIZE - 2 * RADIUS - 2);
            if (Math.hypot(x - otherX, y - otherY) > 4 * RADIUS) {
                return new int[] {x, y};
            }
        }
    }

    /** Normalised (N, 3, SIZE, SIZE) input for the images. */
    public static NDArray batch(NDManager manager, BlobImage[] images) {
        int floats = 3 * SIZE * SIZE;
        float[] pixels = new float[images.length * floats];
        for (int i = 0; i < images.length; i++) {
            byte[] hwc = Transforms.resizeToRgb(images[i].image(), SIZE, ResizeMethod.SQUISH);
            Transforms.toNormalisedChw(hwc, SIZE, 0, Normalization.IMAGENET, pixels, i * floats);
        }
        return manager.create(pixels, new Shape(images.length, 3, SIZE, SIZE));
    }

    public static CellNet untrained() {
        SequentialBlock body = new SequentialBlock()
                .add(conv(16, 1)).add(BatchNorm.builder().build()).add(Activation.reluBlock())
                .add(conv(32, 2)).add(BatchNorm.builder().build()).add(Activation.reluBlock())
                .add(conv(32, 1)).add(BatchNorm.builder().build()).add(Activation.reluBlock());
        ModelSpec spec = new ModelSpec(Architecture.COMPACT, HeadType.FASTAI, 2);
        return new CellNet(spec, body, Networks.head(HeadType.FASTAI, 32, 2));
    }

    private static Conv2d conv(int filters, int stride) {
        return Conv2d.builder().setFilters(filters).setKernelShape(new Shape(3, 3))
                .optStride(new Shape(stride, stride)).optPadding(new Shape(1, 1)).optBias(false).build();
    }

    /** A trained net and the trainer that still holds it (close both). */
    public record Trained(CellNet net, Model model, Trainer trainer) implements AutoCloseable {
        @Override
        public void close() {
            trainer.close();
            model.close();
        }
    }

    public static Trained train(long seed, int steps) {
        Engine.getInstance().setRandomSeed((int) seed);
        CellNet net = untrained();
        Model model = Model.newInstance("blobs");
        model.setBlock(net.network());
        Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.003f)).build()));
        trainer.initialize(new Shape(1, 3, SIZE, SIZE));
        Random rnd = new Random(seed);
        for (int step = 0; step < steps; step++) {
            BlobImage[] images = new BlobImage[32];
            float[] labels = new float[images.length];
            for (int i = 0; i < images.length; i++) {
                images[i] = image(rnd, rnd.nextBoolean());
                labels[i] = images[i].label();
            }
            try (NDManager batch = trainer.getManager().newSubManager()) {
                NDArray x = batch(batch, images);
                NDArray y = batch.create(labels);
                try (GradientCollector collector = trainer.newGradientCollector()) {
                    NDArray out = trainer.forward(new NDList(x)).singletonOrThrow();
                    NDArray loss = trainer.getLoss().evaluate(new NDList(y), new NDList(out));
                    collector.backward(loss);
                }
                trainer.step();
            }
        }
        return new Trained(net, model, trainer);
    }
}
