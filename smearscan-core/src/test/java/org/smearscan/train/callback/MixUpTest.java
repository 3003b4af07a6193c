package org.smearscan.train.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.smearscan.data.HostBatch;
import org.smearscan.model.CellNet;
import org.smearscan.testing.TrainFixtures;
import org.smearscan.train.Callback;
import org.smearscan.train.EpochMetrics;
import org.smearscan.train.Learner;
import org.smearscan.train.LearningRates;
import org.smearscan.train.LossFunction;

class MixUpTest {

    @Test
    void drawsAWeightOfAtLeastAHalfAndAPermutationFromSeedAndIteration() {
        MixUp mixUp = new MixUp(0.4);
        List<Double> lambdas = new ArrayList<>();
        for (long iteration = 0; iteration < 200; iteration++) {
            MixUp.Mix mix = mixUp.draw(42, iteration, 16);
            assertThat(mix.lambda()).isBetween(0.5, 1.0);
            int[] sorted = mix.partner().clone();
            Arrays.sort(sorted);
            assertThat(sorted).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
            lambdas.add(mix.lambda());
        }
        MixUp.Mix again = mixUp.draw(42, 7, 16);
        assertThat(again.lambda()).isEqualTo(lambdas.get(7));
        assertThat(again.partner()).containsExactly(mixUp.draw(42, 7, 16).partner());
        assertThat(mixUp.draw(43, 7, 16).lambda()).isNotEqualTo(again.lambda());
        // Beta(0.4, 0.4) folded at one half has mean 0.5 + E|λ - 0.5| ≈ 0.83: mostly little mixing, sometimes much
        double mean = lambdas.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertThat(mean).isBetween(0.77, 0.89);
        assertThat(lambdas.stream().filter(l -> l < 0.7).count()).as("strongly mixed batches").isGreaterThan(20);
    }

    @Test
    void blendsEachImageWithItsPartner() {
        int size = 2;
        int per = 3 * size * size;
        float[] pixels = new float[3 * per];
        for (int i = 0; i < 3; i++) {
            Arrays.fill(pixels, i * per, (i + 1) * per, i + 1); // image i is all (i + 1)
        }
        HostBatch batch = new HostBatch(pixels, new int[] {0, 1, 1}, new int[] {5, 6, 7}, 3, size);
        MixUp.Mix mix = new MixUp.Mix(0.75, new int[] {2, 0, 1});

        float[] mixed = MixUp.mixPixels(batch, mix, new float[0]);

        assertThat(mixed[0]).isCloseTo(0.75f * 1 + 0.25f * 3, within(1e-6f));
        assertThat(mixed[per + 3]).isCloseTo(0.75f * 2 + 0.25f * 1, within(1e-6f));
        assertThat(mixed[3 * per - 1]).isCloseTo(0.75f * 3 + 0.25f * 2, within(1e-6f));
        assertThat(pixels[0]).as("the source batch is left as it was").isEqualTo(1f);
    }

    @Test
    void theLossWeighsBothLabels() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = manager.create(new float[] {2f, -1f, 0.5f, 0.5f, -3f, 1f}, new ai.djl.ndarray.types.Shape(3, 2));
            NDArray labels = manager.create(new long[] {0, 1, 1});
            long[] partners = {1, 1, 0};
            LossFunction ce = LossFunction.CROSS_ENTROPY;

            float mixed = MixUp.mixedLoss(ce, 0.7, partners).mean(logits, labels).getFloat();

            float own = ce.mean(logits, labels).getFloat();
            float other = ce.mean(logits, manager.create(partners)).getFloat();
            assertThat(mixed).isCloseTo(0.7f * own + 0.3f * other, within(1e-5f));
            assertThat(other).isNotCloseTo(own, within(0.1f));
        }
    }

    @Test
    void trainsOnMixedBatchesAndValidatesOnPlainOnes() {
        TrainFixtures.Images train = TrainFixtures.cells(320, 32, 1);
        TrainFixtures.Images valid = TrainFixtures.cells(100, 32, 2);
        List<Float> largestDifference = new ArrayList<>();
        Callback spy = new Callback() {
            @Override
            public int order() {
                return 10; // after MixUp
            }

            @Override
            public void beforeBatch(Learner l) {
                // what the net is given: each image blended with its partner as drawn for this iteration
                HostBatch seen = l.batch();
                MixUp.Mix mix = new MixUp(0.4).draw(l.seed(), l.iteration(), seen.count());
                int per = 3 * 32 * 32;
                float worst = 0;
                for (int i = 0; i < seen.count(); i++) {
                    float[] own = train.pixels()[seen.indices()[i]];
                    float[] other = train.pixels()[seen.indices()[mix.partner()[i]]];
                    for (int k = 0; k < per; k++) {
                        float expected = (float) mix.lambda() * own[k] + (1 - (float) mix.lambda()) * other[k];
                        worst = Math.max(worst, Math.abs(seen.pixels()[i * per + k] - expected));
                    }
                }
                largestDifference.add(worst);
            }
        };
        try (NDManager manager = NDManager.newBaseManager()) {
            CellNet net = TrainFixtures.compact(manager, 32, 42);
            try (Learner learner = Learner.builder(net, manager).train(train.training(32, 42))
                    .valid(valid.validation(50)).seed(42).callback(new MixUp(0.4)).callback(spy).build()) {
                learner.fitOneCycle(6, LearningRates.single(3e-3));
                EpochMetrics after = learner.validate();

                assertThat(after.accuracy()).isGreaterThan(0.9);
                assertThat(largestDifference).hasSize(6 * 10).allSatisfy(d -> assertThat(d).isLessThan(1e-5f));
                assertThatThrownBy(() -> learner.replaceBatch(null)).isInstanceOf(IllegalStateException.class);
            }
        }
        assertThatThrownBy(() -> new MixUp(0)).hasMessageContaining("alpha");
    }
}
