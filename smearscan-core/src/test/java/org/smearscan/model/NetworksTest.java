package org.smearscan.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import org.junit.jupiter.api.Test;

class NetworksTest {

    private static long trainableParameters(CellNet net, int size) {
        try (NDManager manager = NDManager.newBaseManager()) {
            net.network().initialize(manager, DataType.FLOAT32, new Shape(1, 3, size, size));
            long total = 0;
            for (Pair<String, Parameter> p : net.network().getParameters()) {
                if (p.getValue().requiresGradient()) {
                    total += p.getValue().getArray().size();
                }
            }
            return total;
        }
    }

    @Test
    void resnet18MatchesTorchvisionParameterCount() {
        CellNet net = Networks.build(new ModelSpec(Architecture.RESNET18, HeadType.LINEAR, 2));
        assertThat(trainableParameters(net, 64)).isEqualTo(11_177_538L);
    }

    @Test
    void resnet34MatchesTorchvisionParameterCount() {
        // torchvision resnet34 has 21,797,672 parameters with 1000 classes; 512*998 + 998 fewer with 2.
        CellNet net = Networks.build(new ModelSpec(Architecture.RESNET34, HeadType.LINEAR, 2));
        assertThat(trainableParameters(net, 64)).isEqualTo(21_797_672L - 512L * 998 - 998);
    }

    @Test
    void compactSlimHalvesTheCompactWidths() {
        // 833,808 is what PyTorch counts for the same layout and head (widths 16-128, fastai head).
        CellNet net = Networks.build(new ModelSpec(Architecture.COMPACT_SLIM, HeadType.FASTAI, 2));
        assertThat(trainableParameters(net, 64)).isEqualTo(833_808L);
    }

    @Test
    void everyArchitectureMapsImagesToClassLogits() {
        for (Architecture arch : Architecture.values()) {
            if (arch == Architecture.TORCHSCRIPT) {
                continue; // loaded from a file, not built (TorchScriptBackboneTest)
            }
            CellNet net = Networks.build(new ModelSpec(arch, HeadType.FASTAI, 2));
            try (Model model = Model.newInstance(arch.cliName());
                    NDManager manager = NDManager.newBaseManager()) {
                model.setBlock(net.network());
                net.network().initialize(manager, DataType.FLOAT32, new Shape(4, 3, 64, 64));
                NDArray x = manager.randomUniform(0, 1, new Shape(4, 3, 64, 64));
                NDArray y = net.network()
                        .forward(new ParameterStore(manager, false), new ai.djl.ndarray.NDList(x), false)
                        .singletonOrThrow();
                assertThat(y.getShape()).isEqualTo(new Shape(4, 2));
            }
        }
    }
}
