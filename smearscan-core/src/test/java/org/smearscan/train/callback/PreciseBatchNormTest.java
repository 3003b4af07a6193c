package org.smearscan.train.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.util.Pair;
import java.util.Iterator;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.smearscan.data.HostBatch;
import org.smearscan.model.CellNet;
import org.smearscan.testing.TrainFixtures;
import org.smearscan.train.ArrayBatchSource;
import org.smearscan.train.BatchSource;
import org.smearscan.train.Learner;
import org.smearscan.train.LearningRates;

class PreciseBatchNormTest {
    private static final int SIZE = 4;
    private static final int PER = 3 * SIZE * SIZE;

    /** Images whose channel c is normal with mean c + batch and spread 1 + c, so every batch differs. */
    private static float[][] images(int count, int batchSize) {
        Random random = new Random(5);
        float[][] images = new float[count][PER];
        for (int i = 0; i < count; i++) {
            for (int c = 0; c < 3; c++) {
                for (int k = 0; k < SIZE * SIZE; k++) {
                    images[i][c * SIZE * SIZE + k] = (float) (c + i / batchSize + (1 + c) * random.nextGaussian());
                }
            }
        }
        return images;
    }

    private static float[] running(Block block, String name) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getKey().endsWith(name)) {
                return p.getValue().getArray().toFloatArray();
            }
        }
        throw new AssertionError("no " + name);
    }

    @Test
    void setsTheRunningStatisticsToThePlainAverageOfTheBatches() {
        int batchSize = 8;
        float[][] images = images(32, batchSize);
        BatchSource source = new ArrayBatchSource(images, new int[32], SIZE, batchSize, false, true, 1);
        try (NDManager manager = NDManager.newBaseManager()) {
            Block bn = new SequentialBlock().add(BatchNorm.builder().build());
            bn.initialize(manager, DataType.FLOAT32, new Shape(batchSize, 3, SIZE, SIZE));

            int used = PreciseBatchNorm.update(bn, source, 0, 3, manager);

            assertThat(used).isEqualTo(3);
            // by hand: each channel's mean and unbiased variance per batch, averaged over the first three batches
            float[] mean = running(bn, "runningMean");
            float[] var = running(bn, "runningVar");
            for (int c = 0; c < 3; c++) {
                double meanSum = 0;
                double varSum = 0;
                for (int b = 0; b < 3; b++) {
                    double s = 0;
                    double ss = 0;
                    int n = batchSize * SIZE * SIZE;
                    for (int i = b * batchSize; i < (b + 1) * batchSize; i++) {
                        for (int k = 0; k < SIZE * SIZE; k++) {
                            double v = images[i][c * SIZE * SIZE + k];
                            s += v;
                            ss += v * v;
                        }
                    }
                    double m = s / n;
                    meanSum += m;
                    varSum += (ss - n * m * m) / (n - 1);
                }
                assertThat(mean[c]).as("mean of channel %d", c).isCloseTo((float) (meanSum / 3), within(1e-4f));
                assertThat(var[c]).as("variance of channel %d", c).isCloseTo((float) (varSum / 3), within(1e-3f));
            }
            assertThat(mean[2]).as("batches 0-2 have means 2, 3, 4").isCloseTo(3f, within(0.3f));
        }
    }

    @Test
    void aFailedUpdateLeavesTheStatisticsAsTheyWere() {
        float[][] images = images(16, 8);
        BatchSource good = new ArrayBatchSource(images, new int[16], SIZE, 8, false, true, 1);
        BatchSource failing = new BatchSource() {
            @Override
            public Iterator<HostBatch> epoch(int epoch) {
                Iterator<HostBatch> inner = good.epoch(epoch);
                return new Iterator<>() {
                    int served;

                    @Override
                    public boolean hasNext() {
                        return true;
                    }

                    @Override
                    public HostBatch next() {
                        if (served++ == 1) {
                            throw new IllegalStateException("disk gone");
                        }
                        return inner.next();
                    }
                };
            }

            @Override
            public int batchesPerEpoch() {
                return 2;
            }

            @Override
            public int imageCount() {
                return 16;
            }
        };
        try (NDManager manager = NDManager.newBaseManager()) {
            Block bn = new SequentialBlock().add(BatchNorm.builder().build());
            bn.initialize(manager, DataType.FLOAT32, new Shape(8, 3, SIZE, SIZE));
            PreciseBatchNorm.update(bn, good, 0, 2, manager);
            float[] before = running(bn, "runningMean");

            assertThatThrownBy(() -> PreciseBatchNorm.update(bn, failing, 0, 2, manager)).hasMessageContaining("disk gone");

            assertThat(running(bn, "runningMean")).containsExactly(before);
        }
    }

    @Test
    void eachEpochIsValidatedWithTheStatisticsOfItsOwnBatches() {
        TrainFixtures.Images train = TrainFixtures.cells(320, 32, 1);
        TrainFixtures.Images valid = TrainFixtures.cells(100, 32, 2);
        try (NDManager manager = NDManager.newBaseManager()) {
            CellNet net = TrainFixtures.compact(manager, 32, 42);
            BatchSource trainSource = train.training(32, 42);
            try (Learner learner = Learner.builder(net, manager).train(trainSource).valid(valid.validation(50))
                    .seed(42).callback(new PreciseBatchNorm(4)).build()) {
                learner.fitOneCycle(4, LearningRates.single(3e-3));
                float[] kept = running(net.network(), "runningVar");
                double accuracy = learner.lastMetrics().accuracy();

                // the same update over the last epoch's first four batches gives what the learner kept
                PreciseBatchNorm.update(net.network(), trainSource, 3, 4, manager);
                assertThat(running(net.network(), "runningVar")).containsExactly(kept);
                assertThat(learner.validate().accuracy()).isEqualTo(accuracy);
                assertThat(accuracy).isGreaterThan(0.8);
            }
        }
        assertThatThrownBy(() -> new PreciseBatchNorm(0)).hasMessageContaining("at least one batch");
    }
}
