package org.smearscan.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReleasingSequentialBlockTest {

    @Test
    void freesIntermediatesButNotTheInputTheOutputOrWhatIsPassedOn() {
        List<NDArray> seen = new ArrayList<>();
        ReleasingSequentialBlock sequence = new ReleasingSequentialBlock();
        sequence.add(new LambdaBlock(in -> record(seen, in.singletonOrThrow().add(1))))
                .add(Blocks.identityBlock())
                .add(new LambdaBlock(in -> record(seen, in.singletonOrThrow().mul(2))))
                .add(new LambdaBlock(in -> record(seen, in.singletonOrThrow().sub(3))));
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.ones(new Shape(3));
            sequence.initialize(manager, DataType.FLOAT32, x.getShape()); // runs the lambdas on stand-ins
            seen.clear();
            NDArray y = sequence.forward(new ParameterStore(manager, false), new NDList(x), true).singletonOrThrow();
            assertThat(y.toFloatArray()).containsExactly(1f, 1f, 1f); // (1 + 1) * 2 - 3
            assertThat(x.isReleased()).as("the caller's input").isFalse();
            assertThat(y.isReleased()).as("the output").isFalse();
            // x+1 went through the identity unchanged and was closed once its real consumer had run
            assertThat(seen.get(0).isReleased()).isTrue();
            assertThat(seen.get(1).isReleased()).isTrue();
            assertThat(seen).hasSize(3);
            assertThat(seen.get(2)).isSameAs(y);
        }
    }

    @Test
    void residualBlockFreesItsBranchOutputsButNotAnIdentityShortcutsInput() {
        List<NDArray> seen = new ArrayList<>();
        ResidualBlock block = new ResidualBlock(
                new LambdaBlock(in -> record(seen, in.singletonOrThrow().mul(-2))), Blocks.identityBlock());
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(new float[] {1f, -1f});
            block.initialize(manager, DataType.FLOAT32, x.getShape());
            seen.clear();
            NDArray y = block.forward(new ParameterStore(manager, false), new NDList(x), true).singletonOrThrow();
            assertThat(y.toFloatArray()).containsExactly(0f, 1f); // relu(-2x + x)
            assertThat(x.isReleased()).isFalse();
            assertThat(seen).hasSize(1);
            assertThat(seen.get(0).isReleased()).isTrue();
        }
    }

    @Test
    void subclassesKeepTheParameterNamesOfTheDjlBlocksTheyExtend() {
        CellNet net = Networks.build(new ModelSpec(Architecture.RESNET18, HeadType.LINEAR, 2));
        List<String> names = new ArrayList<>();
        net.network().getParameters().forEach(p -> names.add(p.getKey()));
        assertThat(names).allSatisfy(name -> assertThat(name).doesNotContain("Releasing", "Residual", "SmallMap"));
        assertThat(names).contains(
                "01SequentialBlock_01SequentialBlock_01Conv2d_weight",
                "01SequentialBlock_05SequentialBlock_02ParallelBlock_01SequentialBlock_04Conv2d_weight");
    }

    private static NDList record(List<NDArray> seen, NDArray array) {
        seen.add(array);
        return new NDList(array);
    }
}
