package org.smearscan.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.smearscan.io.AtomicFiles;
import org.smearscan.model.Architecture;
import org.smearscan.model.BatchNormFolding;
import org.smearscan.model.CellNet;
import org.smearscan.model.FoldedConvolution;
import org.smearscan.model.MaxPool;
import org.smearscan.model.ResidualBlock;
import org.smearscan.model.TorchScriptBody;
import org.smearscan.modelfile.ModelFile;
import org.smearscan.modelfile.ModelInfo;
import org.smearscan.onnx.proto.Onnx.GraphProto;
import org.smearscan.onnx.proto.Onnx.ModelProto;
import org.smearscan.onnx.proto.Onnx.OperatorSetIdProto;
import org.smearscan.onnx.proto.Onnx.StringStringEntryProto;
import org.smearscan.onnx.proto.Onnx.TensorProto;
import org.smearscan.onnx.proto.Onnx.TensorShapeProto;
import org.smearscan.onnx.proto.Onnx.TypeProto;
import org.smearscan.onnx.proto.Onnx.ValueInfoProto;

/**
 * Writes a SmearScan network as an ONNX model: the graph is built block by block from the network's
 * structure and weights (DJL cannot write ONNX), with batch norms folded into the convolutions first.
 *
 * <p>The graph has one input, {@value #INPUT} (batch, 3, size, size) float32 normalised RGB, and two
 * outputs: {@value #LOGITS} (batch, classes) and {@value #PROBABILITIES}, softmax(logits / temperature).
 * The batch dimension is free. {@link OnnxMetadata} lists what {@code metadata_props} holds.
 * IR version {@value #IR_VERSION}, opset {@value #OPSET}: the newest pair Debian bookworm's python3-onnx
 * (1.12) checks; ONNX Runtime reads it.
 */
public final class OnnxExport {
    public static final String INPUT = "image";
    public static final String LOGITS = "logits";
    public static final String PROBABILITIES = "probabilities";
    /** The body's output averaged over the map, (batch, channels): what the out-of-distribution score reads. */
    public static final String FEATURES = "features";
    public static final String BATCH_DIMENSION = "batch";
    public static final int IR_VERSION = 8;
    public static final int OPSET = 17;

    private OnnxExport() {}

    /**
     * Reads and verifies a model file, folds its batch norms and builds its ONNX model.
     *
     * @throws UnsupportedOperationException for a network that cannot be exported (a TorchScript body)
     */
    public static ModelProto fromModelFile(Path modelFile) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelFile.Loaded loaded = ModelFile.read(modelFile, manager);
            return export(loaded.net(), loaded.info(), loaded.sha256());
        }
    }

    /**
     * Exports a model file to {@code target} as ONNX, atomically; an existing target is replaced only when
     * {@code overwrite} is set. Returns the source model's description.
     */
    public static ModelFile.Described write(Path modelFile, Path target, boolean overwrite) throws IOException {
        if (!overwrite && Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString(), null, "already exists (use --force to replace it)");
        }
        ModelFile.Described described;
        ModelProto model;
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelFile.Loaded loaded = ModelFile.read(modelFile, manager);
            model = export(loaded.net(), loaded.info(), loaded.sha256());
            described = new ModelFile.Described(loaded.info(), loaded.sha256(), loaded.hasOnnxGraph());
        }
        AtomicFiles.write(target, model::writeTo);
        return described;
    }

    /**
     * The ONNX model of a network. Batch norms that follow convolutions are folded into them first, which
     * changes {@code net} in place (see {@link BatchNormFolding}): pass a network nothing else will train.
     *
     * @param sha256 the content hash of the model file the network came from, recorded in the metadata (or null)
     * @throws UnsupportedOperationException for a TorchScript body or a block the exporter does not know
     */
    public static ModelProto export(CellNet net, ModelInfo info, String sha256) {
        if (net.spec().architecture() == Architecture.TORCHSCRIPT) {
            throw new UnsupportedOperationException("a model on a TorchScript body (--backbone) cannot be exported "
                    + "to ONNX: SmearScan builds the ONNX graph from its own blocks, and a TorchScript module's "
                    + "graph is opaque to it; train on an architecture such as compact or resnet18 to export");
        }
        if (!net.spec().equals(info.spec())) {
            throw new IllegalArgumentException("the network is a " + net.spec() + " but the description says "
                    + info.spec());
        }
        BatchNormFolding.fold(net);
        GraphWriter graph = new GraphWriter();
        Emitter emitter = new Emitter(graph);
        String map = emitter.emit(net.body(), INPUT);
        String head = emitter.emit(net.head(), map);
        // The last node's output becomes the graph output "logits" through an Identity, so node names stay simple.
        String logits = graph.node("Identity", List.of(head), LOGITS);
        graph.node("Flatten", List.of(graph.node("GlobalAveragePool", List.of(map))), FEATURES,
                GraphWriter.integer("axis", 1));
        String temperature = graph.weight("temperature", new float[] {(float) info.temperature()});
        String scaled = graph.node("Div", List.of(logits, temperature));
        graph.node("Softmax", List.of(scaled), PROBABILITIES, GraphWriter.integer("axis", 1));

        GraphProto.Builder g = GraphProto.newBuilder().setName("smearscan_" + info.spec().architecture().cliName());
        graph.writeTo(g);
        int size = info.imageSize();
        g.addInput(tensorValue(INPUT, BATCH_DIMENSION, 3, size, size));
        g.addOutput(tensorValue(LOGITS, BATCH_DIMENSION, info.classes().size()));
        g.addOutput(tensorValue(PROBABILITIES, BATCH_DIMENSION, info.classes().size()));
        long channels = net.body().getOutputShapes(new Shape[] {new Shape(1, 3, size, size)})[0].get(1);
        g.addOutput(tensorValue(FEATURES, BATCH_DIMENSION, channels));

        ModelProto.Builder model = ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setProducerName("SmearScan")
                .setProducerVersion(producerVersion())
                .setDomain("org.smearscan")
                .setDocString("Malaria cell classifier (" + info.spec().architecture().cliName() + ", "
                        + info.classes().size() + " classes). Input: RGB resized to " + size + "x" + size
                        + " (" + info.resize().name().toLowerCase(java.util.Locale.ROOT)
                        + "), scaled to 0..1 and normalised per channel; see metadata_props.")
                .setGraph(g);
        for (Map.Entry<String, String> e : OnnxMetadata.of(info, sha256).entrySet()) {
            model.addMetadataProps(StringStringEntryProto.newBuilder().setKey(e.getKey()).setValue(e.getValue()));
        }
        return model.build();
    }

    private static String producerVersion() {
        String own = OnnxExport.class.getPackage().getImplementationVersion();
        return own != null ? own : "development";
    }

    /** A float32 tensor value; a string dimension is symbolic (free). */
    private static ValueInfoProto tensorValue(String name, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
            if (d instanceof String symbol) {
                dim.setDimParam(symbol);
            } else {
                dim.setDimValue(((Number) d).longValue());
            }
            shape.addDim(dim);
        }
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                        .setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape)))
                .build();
    }

    /** Turns blocks into nodes: each emit takes the name of the block's input and returns its output's. */
    private static final class Emitter {
        private final GraphWriter graph;

        Emitter(GraphWriter graph) {
            this.graph = graph;
        }

        String emit(Block block, String input) {
            if (block instanceof SequentialBlock sequence) {
                String current = input;
                for (Block child : sequence.getChildren().values()) {
                    current = emit(child, current);
                }
                return current;
            }
            if (block instanceof ResidualBlock residual) {
                List<String> branches = new ArrayList<>(2);
                for (Block branch : residual.getChildren().values()) {
                    branches.add(emit(branch, input));
                }
                return graph.node("Relu", List.of(graph.node("Add", branches)));
            }
            if (block instanceof ParallelBlock parallel) {
                return concatPool(parallel, input);
            }
            if (block instanceof FoldedConvolution conv) {
                return convolution(input, conv.weight(), conv.bias(), conv.stride(), conv.padding(), conv.dilation(),
                        conv.groups());
            }
            if (block instanceof Conv2d conv) {
                Parameter bias = conv.isIncludeBias() ? conv.getParameters().get("bias") : null;
                return convolution(input, conv.getParameters().get("weight").getArray(),
                        bias == null ? null : bias.getArray(), conv.getStride(), conv.getPadding(), conv.getDilation(),
                        conv.getGroups());
            }
            if (block instanceof BatchNorm bn) {
                return batchNorm(bn, input);
            }
            if (block instanceof Linear linear) {
                return linear(linear, input);
            }
            if (block instanceof Dropout) {
                return input; // the identity at inference
            }
            if (block instanceof MaxPool pool) {
                return graph.node("MaxPool", List.of(input),
                        GraphWriter.ints("kernel_shape", pool.kernel().getShape()),
                        GraphWriter.ints("strides", pool.stride().getShape()),
                        GraphWriter.ints("pads", pads(pool.padding())));
            }
            if (block instanceof TorchScriptBody) {
                throw new UnsupportedOperationException("a TorchScript body cannot be exported to ONNX");
            }
            if (block instanceof LambdaBlock lambda) {
                return lambda(lambda, input);
            }
            throw new UnsupportedOperationException("cannot export a " + block.getClass().getSimpleName()
                    + " block to ONNX");
        }

        /** DJL's Activation and Pool blocks are lambdas; their names say which. */
        private String lambda(LambdaBlock lambda, String input) {
            return switch (lambda.getName()) {
                case "ReLU" -> graph.node("Relu", List.of(input));
                case "identity" -> input;
                // DJL's global pools flatten to (batch, channels); ONNX's keep 1x1 maps
                case "globalAvgPool2d" -> flatten(graph.node("GlobalAveragePool", List.of(input)));
                case "globalMaxPool2d" -> flatten(graph.node("GlobalMaxPool", List.of(input)));
                default -> throw new UnsupportedOperationException("cannot export the lambda block '"
                        + lambda.getName() + "' to ONNX");
            };
        }

        private String flatten(String input) {
            return graph.node("Flatten", List.of(input), GraphWriter.integer("axis", 1));
        }

        /** fastai's AdaptiveConcatPool2d: the only parallel block besides residual ones, [avg, max] along channels. */
        private String concatPool(ParallelBlock parallel, String input) {
            List<String> parts = new ArrayList<>();
            for (Block branch : parallel.getChildren().values()) {
                if (!(branch instanceof LambdaBlock pool && pool.getName().startsWith("global"))) {
                    throw new UnsupportedOperationException("cannot export a parallel block of "
                            + branch.getClass().getSimpleName() + " to ONNX (only residual blocks and concat pooling)");
                }
                parts.add(emit(branch, input));
            }
            return graph.node("Concat", parts, GraphWriter.integer("axis", 1));
        }

        private String convolution(String input, NDArray weight, NDArray bias, Shape stride, Shape padding,
                Shape dilation, int groups) {
            long[] dims = weight.getShape().getShape();
            List<String> inputs = new ArrayList<>(List.of(input, graph.weight("conv_w", weight.toFloatArray(), dims)));
            if (bias != null) {
                inputs.add(graph.weight("conv_b", bias.toFloatArray(), dims[0]));
            }
            return graph.node("Conv", inputs,
                    GraphWriter.ints("kernel_shape", dims[2], dims[3]),
                    GraphWriter.ints("strides", stride.getShape()),
                    GraphWriter.ints("pads", pads(padding)),
                    GraphWriter.ints("dilations", dilation.getShape()),
                    GraphWriter.integer("group", groups));
        }

        /** Works on (N, C) as on (N, C, H, W): ONNX's BatchNormalization normalises along axis 1 either way. */
        private String batchNorm(BatchNorm bn, String input) {
            NDArray gamma = bn.getParameters().get("gamma").getArray();
            long channels = gamma.size();
            return graph.node("BatchNormalization", List.of(input,
                            graph.weight("bn_scale", gamma.toFloatArray(), channels),
                            graph.weight("bn_bias", bn.getParameters().get("beta").getArray().toFloatArray(), channels),
                            graph.weight("bn_mean", bn.getParameters().get("runningMean").getArray().toFloatArray(),
                                    channels),
                            graph.weight("bn_var", bn.getParameters().get("runningVar").getArray().toFloatArray(),
                                    channels)),
                    GraphWriter.real("epsilon", BatchNormFolding.EPSILON));
        }

        /** y = x W^T (+ b), DJL's weight being (units, inputs). */
        private String linear(Linear linear, String input) {
            NDArray weight = linear.getParameters().get("weight").getArray();
            long[] dims = weight.getShape().getShape();
            List<String> inputs = new ArrayList<>(List.of(input, graph.weight("fc_w", weight.toFloatArray(), dims)));
            if (linear.getParameters().contains("bias")) {
                inputs.add(graph.weight("fc_b", linear.getParameters().get("bias").getArray().toFloatArray(), dims[0]));
            }
            return graph.node("Gemm", inputs, GraphWriter.integer("transB", 1));
        }

        /** ONNX pads are (begin of each axis, then end of each axis). */
        private static long[] pads(Shape padding) {
            long[] p = padding.getShape();
            long[] pads = new long[2 * p.length];
            for (int i = 0; i < p.length; i++) {
                pads[i] = p[i];
                pads[p.length + i] = p[i];
            }
            return pads;
        }
    }
}
