package org.smearscan.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import org.smearscan.model.CellNet;

/** The network itself, run by PyTorch through DJL. */
final class PyTorchEngine implements InferenceEngine {
    private final NDManager manager;
    private final CellNet net;
    private final ParameterStore parameters;
    private final boolean ownsManager;

    /** @param ownsManager whether closing the engine closes {@code manager}, which holds the network */
    PyTorchEngine(NDManager manager, CellNet net, boolean ownsManager) {
        this.manager = manager;
        this.net = net;
        this.ownsManager = ownsManager;
        this.parameters = new ParameterStore(manager, false);
    }

    @Override
    public EngineKind kind() {
        return EngineKind.PYTORCH;
    }

    @Override
    public Outputs outputs(float[] batch, int images, int size, boolean withFeatures) {
        // Grad mode is per thread in PyTorch and on by default in threads the engine did not start.
        JniUtils.setGradMode(false);
        // Results attach to the input's manager: a sub-manager per batch frees them all at once.
        try (NDManager batchManager = manager.newSubManager()) {
            NDArray x = batchManager.create(batch, new Shape(images, 3, size, size));
            NDArray map = net.body().forward(parameters, new NDList(x), false).singletonOrThrow();
            float[] features = null;
            if (withFeatures) {
                // one axis at a time is all DJL's PyTorch mean takes: flatten the map first
                features = map.reshape(map.getShape().get(0), map.getShape().get(1), -1).mean(new int[] {2})
                        .toFloatArray();
            }
            NDArray logits = net.head().forward(parameters, new NDList(map), false).singletonOrThrow();
            return new Outputs(logits.toFloatArray(), features);
        }
    }

    @Override
    public float[][][] heatmaps(float[] batch, int images, int size, int[] targetClasses) {
        try (NDManager batchManager = manager.newSubManager()) {
            NDArray x = batchManager.create(batch, new Shape(images, 3, size, size));
            return GradCam.heatmaps(net, x, targetClasses);
        }
    }

    @Override
    public void close() {
        if (ownsManager) {
            manager.close();
        }
    }
}
