package org.smearscan.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smearscan.data.Normalization;
import org.smearscan.data.ResizeMethod;
import org.smearscan.model.Architecture;
import org.smearscan.model.CellNet;
import org.smearscan.model.HeadType;
import org.smearscan.model.ModelSpec;
import org.smearscan.model.Networks;
import org.smearscan.model.TorchScriptBody;
import org.smearscan.modelfile.ModelFile;
import org.smearscan.modelfile.ModelInfo;
import org.smearscan.modelfile.Provenance;
import org.smearscan.testing.TrainFixtures;
import org.smearscan.train.optim.NamedParameter;

/** A scripted two-stage body (src/test/resources/backbones/mini2stage.pt, made by scripts/make_backbone_fixture.py). */
class TorchScriptBackboneTest {
    static final Path FIXTURE = Path.of("src/test/resources/backbones/mini2stage.pt");
    private static final ModelSpec SPEC = new ModelSpec(Architecture.TORCHSCRIPT, HeadType.FASTAI, 2);

    static CellNet load(NDManager manager, Path file) {
        CellNet net = Networks.withBody(SPEC, TorchScriptBody.load(file, manager));
        Initialization.initialize(net, manager, 32, 5);
        return net;
    }

    private static float[] bodyOutput(CellNet net, NDManager manager, NDArray x) {
        try (NDManager scratch = manager.newSubManager()) {
            NDArray in = x.duplicate();
            in.attach(scratch);
            return net.body().forward(new ParameterStore(manager, false), new NDList(in), false)
                    .singletonOrThrow().toFloatArray();
        }
    }

    @Test
    void trainsAHeadOnTheFrozenBodyThenTheWholeNetwork() {
        TrainFixtures.Images data = TrainFixtures.cells(32, 32, 17);
        try (NDManager manager = NDManager.newBaseManager()) {
            CellNet net = load(manager, FIXTURE);
            assertThat(((TorchScriptBody) net.body().getChildren().get(0).getValue()).featureChannels(32)).isEqualTo(16);
            NDArray probe = manager.randomUniform(-1, 1, new Shape(4, 3, 32, 32));
            try (Learner learner = Learner.builder(net, manager).train(data.training(8, 2))
                    .valid(data.validation(16)).build()) {
                LayerGroups groups = learner.layerGroups();
                assertThat(groups.size()).isEqualTo(3);
                assertThat(groups.groups().get(0).name()).isEqualTo("body:stem");
                assertThat(groups.groups().get(1).name()).isEqualTo("body:layer1,layer2");
                // a conv kernel, a batch-norm scale and shift per stage
                assertThat(groups.groups().get(0).parameters()).extracting(NamedParameter::isNormalisation)
                        .containsExactly(false, true, true);

                // running statistics never move: with a negligible rate the body computes what it did
                float[] before = bodyOutput(net, manager, probe);
                learner.unfreeze();
                learner.fitOneCycle(1, LearningRates.single(1e-12));
                float[] after = bodyOutput(net, manager, probe);
                for (int i = 0; i < before.length; i++) {
                    assertThat(after[i]).isCloseTo(before[i], within(1e-4f));
                }

                learner.freeze();
                NamedParameter kernel = groups.groups().get(1).parameters().get(0);
                float[] kernelBefore = kernel.parameter().getArray().toFloatArray();
                learner.fitOneCycle(1, LearningRates.single(1e-2));
                assertThat(Arrays.equals(kernel.parameter().getArray().toFloatArray(), kernelBefore)).isTrue();

                learner.unfreeze();
                learner.fitOneCycle(1, LearningRates.parse("1e-3:1e-2"));
                assertThat(Arrays.equals(kernel.parameter().getArray().toFloatArray(), kernelBefore)).isFalse();
            }
        }
    }

    @Test
    void aModelFileCarriesTheTrainedModule(@TempDir Path dir) throws Exception {
        TrainFixtures.Images data = TrainFixtures.cells(16, 32, 18);
        Path file = dir.resolve("model.smear");
        float[] expected;
        try (NDManager manager = NDManager.newBaseManager()) {
            CellNet net = load(manager, FIXTURE);
            try (Learner learner = Learner.builder(net, manager).train(data.training(8, 2)).build()) {
                learner.fitOneCycle(1, LearningRates.single(1e-2));
            }
            ModelInfo info = new ModelInfo(SPEC, List.of("Parasitized", "Uninfected"), 0, 32, ResizeMethod.SQUISH,
                    Normalization.IMAGENET, 0.5, 1, Map.of(), Provenance.fromFlatMap(Map.of("backbone", "mini2stage.pt")));
            ModelFile.write(file, net, info);
            expected = predict(net, manager, data.pixels()[0]);
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelFile.Loaded loaded = ModelFile.read(file, manager);
            assertThat(loaded.info().spec().architecture()).isEqualTo(Architecture.TORCHSCRIPT);
            float[] actual = predict(loaded.net(), manager, data.pixels()[0]);
            assertThat(actual[0]).isCloseTo(expected[0], within(1e-5f));
            assertThat(actual[1]).isCloseTo(expected[1], within(1e-5f));
        }
    }

    @Test
    void aFileThatIsNotTorchScriptIsNamedInTheError(@TempDir Path dir) throws Exception {
        Path bogus = Files.writeString(dir.resolve("body.pt"), "not a module");
        try (NDManager manager = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> TorchScriptBody.load(bogus, manager))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(bogus.toString());
            assertThatThrownBy(() -> TorchScriptBody.load(dir.resolve("missing.pt"), manager))
                    .hasMessageContaining("no such backbone file");
        }
    }

    private static float[] predict(CellNet net, NDManager manager, float[] image) {
        try (NDManager scratch = manager.newSubManager()) {
            NDArray x = scratch.create(image, new Shape(1, 3, 32, 32));
            return net.network().forward(new ParameterStore(manager, false), new NDList(x), false)
                    .singletonOrThrow().toFloatArray();
        }
    }
}
