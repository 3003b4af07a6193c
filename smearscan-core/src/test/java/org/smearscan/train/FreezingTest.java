package org.smearscan.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.smearscan.model.CellNet;
import org.smearscan.testing.TrainFixtures;
import org.smearscan.train.optim.NamedParameter;

class FreezingTest {

    private static List<float[]> values(List<NamedParameter> params) {
        List<float[]> out = new ArrayList<>();
        for (NamedParameter p : params) {
            out.add(p.parameter().getArray().toFloatArray());
        }
        return out;
    }

    @Test
    void resnetBodiesSplitIntoFastaiGroups() {
        try (NDManager manager = NDManager.newBaseManager()) {
            CellNet net = TrainFixtures.compact(manager, 16, 1);
            LayerGroups groups = LayerGroups.of(net);
            assertThat(groups.size()).isEqualTo(3);
            assertThat(groups.groups().get(0).name()).isEqualTo("body[0:3)"); // stem, layer1, layer2
            assertThat(groups.groups().get(1).name()).isEqualTo("body[3:5)"); // layer3, layer4
            assertThat(groups.all()).hasSize(net.network().getParameters().size());
        }
    }

    @Test
    void frozenGroupsKeepTheirWeightsWhileBatchNormStatisticsStillTrack() {
        TrainFixtures.Images data = TrainFixtures.noise(16, 16, 5);
        try (NDManager manager = NDManager.newBaseManager()) {
            CellNet net = TrainFixtures.compact(manager, 16, 1);
            try (Learner learner = Learner.builder(net, manager).train(data.training(8, 1)).build()) {
                learner.freeze();
                List<NamedParameter> body = new ArrayList<>(learner.layerGroups().groups().get(0).parameters());
                body.addAll(learner.layerGroups().groups().get(1).parameters());
                List<NamedParameter> head = learner.layerGroups().groups().get(2).parameters();
                List<float[]> bodyBefore = values(body);
                List<float[]> headBefore = values(head);
                learner.fitOneCycle(1, LearningRates.single(1e-2));
                List<float[]> bodyAfter = values(body);
                List<float[]> headAfter = values(head);
                int kernels = 0;
                int statistics = 0;
                for (int i = 0; i < body.size(); i++) {
                    NamedParameter p = body.get(i);
                    if (p.parameter().getType() == Parameter.Type.WEIGHT) {
                        kernels++;
                        assertThat(Arrays.equals(bodyAfter.get(i), bodyBefore.get(i))).as(p.name() + " unchanged").isTrue();
                        assertThat(p.parameter().requiresGradient()).isFalse();
                    } else if (p.isRunningStatistic()) {
                        statistics++;
                        // the forward pass in training mode still updates the running statistics
                        assertThat(Arrays.equals(bodyAfter.get(i), bodyBefore.get(i))).as(p.name() + " changed").isFalse();
                        assertThat(p.parameter().requiresGradient()).isFalse();
                    } else {
                        // fastai's train_bn: normalisation scale and shift of frozen groups keep training
                        assertThat(p.parameter().requiresGradient()).as(p.name()).isTrue();
                    }
                }
                assertThat(kernels).isGreaterThan(5);
                assertThat(statistics).isGreaterThan(5);
                for (int i = 0; i < head.size(); i++) {
                    if (!head.get(i).isRunningStatistic()) {
                        assertThat(Arrays.equals(headAfter.get(i), headBefore.get(i))).as(head.get(i).name() + " changed").isFalse();
                    }
                }

                // unfreezing must leave the running statistics alone, and training must go on working
                learner.unfreeze();
                for (NamedParameter p : learner.layerGroups().all()) {
                    assertThat(p.parameter().requiresGradient()).as(p.name()).isEqualTo(!p.isRunningStatistic());
                }
                learner.fitOneCycle(1, LearningRates.single(1e-3));
                assertThat(Arrays.equals(values(body).get(0), bodyAfter.get(0))).as("unfrozen stem trains").isFalse();
            }
        }
    }

    @Test
    void optimizerNeverTouchesRunningStatistics() {
        TrainFixtures.Images data = TrainFixtures.noise(8, 16, 5);
        try (NDManager manager = NDManager.newBaseManager()) {
            CellNet net = TrainFixtures.compact(manager, 16, 1);
            List<float[]> afterForward = new ArrayList<>();
            List<float[]> afterStep = new ArrayList<>();
            Callback spy = new Callback() {
                @Override
                public void beforeStep(Learner l) {
                    afterForward.clear();
                    afterForward.addAll(values(stats(l)));
                }

                @Override
                public void afterStep(Learner l) {
                    afterStep.clear();
                    afterStep.addAll(values(stats(l)));
                }
            };
            try (Learner learner = Learner.builder(net, manager).train(data.training(8, 1)).callback(spy).build()) {
                learner.fitOneCycle(1, LearningRates.single(1e-1));
            }
            assertThat(afterForward).isNotEmpty();
            for (int i = 0; i < afterForward.size(); i++) {
                assertThat(Arrays.equals(afterStep.get(i), afterForward.get(i))).isTrue();
            }
        }
    }

    private static List<NamedParameter> stats(Learner l) {
        return l.layerGroups().all().stream().filter(NamedParameter::isRunningStatistic).toList();
    }
}
