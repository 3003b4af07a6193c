package org.smearscan.onnx;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.smearscan.onnx.proto.Onnx.AttributeProto;
import org.smearscan.onnx.proto.Onnx.GraphProto;
import org.smearscan.onnx.proto.Onnx.NodeProto;
import org.smearscan.onnx.proto.Onnx.TensorProto;

/**
 * Collects the nodes and weights of one ONNX graph in topological order, naming every value uniquely.
 * Nodes take the names of their inputs and return the name of their (single) output.
 */
final class GraphWriter {
    private final List<NodeProto> nodes = new ArrayList<>();
    private final List<TensorProto> initializers = new ArrayList<>();
    private int counter;

    /** Adds a float tensor to the graph's weights; returns its name. */
    String weight(String hint, float[] values, long... dims) {
        long count = 1;
        for (long d : dims) {
            count *= d;
        }
        if (count != values.length) {
            throw new IllegalArgumentException(hint + ": " + values.length + " values for a tensor of " + count);
        }
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        String name = unique(hint);
        TensorProto.Builder tensor = TensorProto.newBuilder()
                .setName(name)
                .setDataType(TensorProto.DataType.FLOAT_VALUE)
                .setRawData(ByteString.copyFrom(bytes.array()));
        for (long d : dims) {
            tensor.addDims(d);
        }
        initializers.add(tensor.build());
        return name;
    }

    /** Adds a node of the standard ONNX domain with one output; returns the output's name. */
    String node(String opType, List<String> inputs, AttributeProto... attributes) {
        String output = unique(opType.toLowerCase(java.util.Locale.ROOT));
        return node(opType, inputs, output, attributes);
    }

    /** Adds a node whose output has the given name (a graph output); returns it. */
    String node(String opType, List<String> inputs, String output, AttributeProto... attributes) {
        NodeProto.Builder node = NodeProto.newBuilder()
                .setOpType(opType)
                .setName(opType + "_" + nodes.size())
                .addAllInput(inputs)
                .addOutput(output);
        for (AttributeProto a : attributes) {
            node.addAttribute(a);
        }
        nodes.add(node.build());
        return output;
    }

    /** Nodes and weights into the graph under construction. */
    void writeTo(GraphProto.Builder graph) {
        graph.addAllNode(nodes).addAllInitializer(initializers);
    }

    int nodeCount() {
        return nodes.size();
    }

    static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    static AttributeProto integer(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    static AttributeProto real(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
    }

    private String unique(String hint) {
        return hint + "_" + counter++;
    }
}
