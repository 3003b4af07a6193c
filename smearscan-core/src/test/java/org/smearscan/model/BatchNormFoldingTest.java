package org.smearscan.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BatchNormFoldingTest {

    @Test
    void foldedNetworksComputeWhatTheTrainedOnesDo() {
        // compact-slim: stem, 8 blocks of two convs, 3 projections; resnet18: the same count of pairs
        assertFoldingKeepsLogits(Architecture.COMPACT_SLIM, HeadType.FASTAI, 20);
        assertFoldingKeepsLogits(Architecture.RESNET18, HeadType.LINEAR, 20);
    }

    private static void assertFoldingKeepsLogits(Architecture arch, HeadType head, int expectedPairs) {
        CellNet net = Networks.build(new ModelSpec(arch, head, 2));
        try (NDManager manager = NDManager.newBaseManager()) {
            net.network().initialize(manager, DataType.FLOAT32, new Shape(8, 3, 64, 64));
            // Batch norms as training leaves them: scales, shifts and running statistics far from 1 and 0,
            // or folding would be nearly the identity and prove nothing.
            Random rnd = new Random(7);
            for (Pair<String, Parameter> p : net.network().getParameters()) {
                String name = p.getKey();
                NDArray a = p.getValue().getArray();
                float[] values = new float[(int) a.size()];
                for (int i = 0; i < values.length; i++) {
                    if (name.endsWith("runningVar")) {
                        values[i] = 0.2f + 2 * rnd.nextFloat();
                    } else if (name.endsWith("gamma")) {
                        values[i] = 0.5f + rnd.nextFloat();
                    } else if (name.endsWith("beta") || name.endsWith("runningMean")) {
                        values[i] = (float) rnd.nextGaussian() * 0.5f;
                    } else {
                        continue;
                    }
                }
                if (name.endsWith("runningVar") || name.endsWith("gamma") || name.endsWith("beta")
                        || name.endsWith("runningMean")) {
                    a.set(values);
                }
            }
            NDArray x = manager.randomNormal(new Shape(8, 3, 64, 64));
            float[] before = logits(net, manager, x);

            assertThat(BatchNormFolding.fold(net)).isEqualTo(expectedPairs);
            float[] after = logits(net, manager, x);

            double largest = 0;
            for (float v : before) {
                largest = Math.max(largest, Math.abs(v));
            }
            assertThat(largest).as("logits big enough to compare").isGreaterThan(0.1);
            for (int i = 0; i < before.length; i++) {
                assertThat((double) after[i]).as(arch + " logit " + i).isCloseTo(before[i], within(1e-4 * largest + 1e-5));
            }
            assertThat(BatchNormFolding.fold(net)).as("nothing left to fold").isZero();
        }
    }

    private static float[] logits(CellNet net, NDManager manager, NDArray x) {
        return net.network().forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow()
                .toFloatArray();
    }
}
