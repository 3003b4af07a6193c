package org.smearscan.model;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A network body traced with TorchScript (for instance a torchvision ResNet without its pooling and fc),
 * used like a body {@link Networks} builds. Its output is the last feature map; a pooled output (N, C)
 * is reshaped to (N, C, 1, 1) so the same heads fit.
 *
 * <p>The module always runs in inference mode, so its BatchNorm layers normalise with the running
 * statistics they came with and never update them; their scale and shift, like every other weight, still
 * train. DJL exposes a TorchScript module's parameters but not its buffers, so statistics that drifted
 * during training could not be restored with the best weights or a checkpoint; frozen statistics keep
 * best-model reloading, the learning-rate finder and resuming exact.
 *
 * <p>The module (with its current weights) is saved inside the network's parameter stream, so a model file
 * carries it whole.
 */
public final class TorchScriptBody extends AbstractBlock {
    private static final byte VERSION = 1;
    private final PtSymbolBlock module;

    private TorchScriptBody(PtSymbolBlock module) {
        super(VERSION);
        this.module = addChildBlock("torchscript", module);
    }

    /**
     * Loads a TorchScript file whose forward takes images (N, 3, H, W). Its parameters are made trainable.
     *
     * @throws IllegalArgumentException naming the file when it is not a TorchScript module
     */
    public static TorchScriptBody load(Path file, NDManager manager) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": no such backbone file");
        }
        PtSymbolBlock module;
        try {
            module = JniUtils.loadModule((PtNDManager) manager, file, true, new String[0], new String[0], true);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + ": not a TorchScript module PyTorch can load ("
                    + firstLine(e.getMessage()) + ")", e);
        }
        TorchScriptBody body = new TorchScriptBody(module);
        JniUtils.enableInferenceMode(module);
        for (Parameter p : module.getParameters().values()) {
            p.freeze(false);
        }
        return body;
    }

    /** An empty body for {@link #loadParameters} to fill, when a model file is read. */
    public static TorchScriptBody empty(NDManager manager) {
        return new TorchScriptBody(new PtSymbolBlock((PtNDManager) manager));
    }

    /** The TorchScript module; its parameter names are the module's own ({@code layer1.0.conv1.weight}). */
    public PtSymbolBlock module() {
        return module;
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        // Bypasses PtSymbolBlock.forward, which would switch the module to training mode; `training` here
        // only decides whether autograd records the call.
        NDList out = IValueUtils.forward(module, inputs, training);
        NDArray features = out.head();
        if (features.getShape().dimension() == 2) {
            features = features.reshape(features.getShape().get(0), features.getShape().get(1), 1, 1);
            return new NDList(features);
        }
        return out;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] shapes = module.getOutputShapes(inputShapes);
        if (shapes[0].dimension() == 2) {
            return new Shape[] {new Shape(shapes[0].get(0), shapes[0].get(1), 1, 1)};
        }
        return shapes;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // the module comes with its weights
    }

    @Override
    public void loadParameters(NDManager manager, DataInputStream is) throws IOException, MalformedModelException {
        super.loadParameters(manager, is);
        JniUtils.enableInferenceMode(module);
    }

    /** Channels of the feature map for a square input of {@code size} pixels. */
    public long featureChannels(int size) {
        return getOutputShapes(new Shape[] {new Shape(1, 3, size, size)})[0].get(1);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
