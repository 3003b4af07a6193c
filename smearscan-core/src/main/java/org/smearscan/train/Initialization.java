package org.smearscan.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import org.smearscan.model.CellNet;

/**
 * Initialises a network as torchvision and fastai do: convolution kernels kaiming-normal with fan-out
 * (torchvision's ResNet), linear layers kaiming-normal with fan-in (fastai's head), BatchNorm scale 1
 * and shift 0, biases 0. The engine is seeded first, so one seed fixes the initial weights.
 */
public final class Initialization {
    private Initialization() {}

    public static void initialize(CellNet net, NDManager manager, int imageSize, long seed) {
        Engine.getInstance().setRandomSeed(Learner.epochSeed(seed, -1));
        net.network().setInitializer(new KaimingNormal(), p -> p.getType() == Parameter.Type.WEIGHT);
        net.network().initialize(manager, DataType.FLOAT32, new Shape(1, 3, imageSize, imageSize));
    }

    /** He et al. (2015) normal initialisation for ReLU networks: std = sqrt(2 / fan). */
    static final class KaimingNormal implements Initializer {
        @Override
        public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
            long fan;
            if (shape.dimension() == 4) {
                fan = shape.get(0) * shape.get(2) * shape.get(3); // fan-out: out channels x kernel area
            } else if (shape.dimension() == 2) {
                fan = shape.get(1); // fan-in of a linear layer (DJL stores out x in)
            } else {
                fan = shape.get(0);
            }
            float std = (float) Math.sqrt(2.0 / fan);
            return manager.randomNormal(0f, std, shape, dataType);
        }
    }
}
