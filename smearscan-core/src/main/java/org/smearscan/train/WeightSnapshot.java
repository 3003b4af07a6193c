package org.smearscan.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Pair;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A copy of every parameter of a network (BatchNorm running statistics included), by path name.
 *
 * <p>Restoring copies values into the live arrays instead of replacing them, which is what DJL's
 * loadParameters does: replaced arrays would lose their gradient flags, leak the old arrays until the
 * model closes, and, for a TorchScript body, leave the parameters the optimizer holds detached from the
 * module that runs.
 *
 * <p>The copy is PyTorch's in-place {@code index_put_} over the whole array, with autograd off. It does not
 * use {@code NDArray.set(Buffer)}: DJL's native {@code torchSet} behind it opens PyTorch's deprecated
 * {@code AutoNonVariableTypeMode} guard, which made PyTorch print its "AutoNonVariableTypeMode is deprecated"
 * warning into the terminal at the end of every training run (keeping the best epoch restores its weights),
 * and it re-points the parameter's storage at a Java buffer instead of writing into the tensor PyTorch owns.
 */
public final class WeightSnapshot {
    private record Entry(String name, Shape shape, DataType type, byte[] data) {}

    private final List<Entry> entries;

    private WeightSnapshot(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    public static WeightSnapshot of(Block network) {
        List<Entry> entries = new ArrayList<>();
        for (Pair<String, Parameter> p : network.getParameters()) {
            NDArray array = p.getValue().getArray();
            entries.add(new Entry(p.getKey(), array.getShape(), array.getDataType(), array.toByteArray()));
        }
        return new WeightSnapshot(entries);
    }

    /**
     * Copies the values into {@code network}'s arrays; names and shapes must match. Each array keeps its
     * identity, storage and gradient flag. Autograd is off during the copy (and as it was afterwards).
     */
    public void restoreInto(Block network) {
        Map<String, Entry> byName = new HashMap<>();
        for (Entry e : entries) {
            byName.put(e.name(), e);
        }
        ai.djl.nn.ParameterList params = network.getParameters();
        if (params.size() != entries.size()) {
            throw new IllegalArgumentException("the snapshot holds " + entries.size() + " parameters, the network "
                    + params.size());
        }
        for (Pair<String, Parameter> p : params) {
            Entry e = byName.get(p.getKey());
            NDArray array = p.getValue().getArray();
            if (e == null) {
                throw new IllegalArgumentException("the snapshot lacks parameter " + p.getKey());
            }
            if (!e.shape().equals(array.getShape()) || e.type() != array.getDataType()) {
                throw new IllegalArgumentException("parameter " + p.getKey() + " is " + e.shape() + " " + e.type()
                        + " in the snapshot, " + array.getShape() + " " + array.getDataType() + " in the network");
            }
        }
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false); // an in-place write to a leaf that requires a gradient is refused otherwise
        try {
            for (Pair<String, Parameter> p : params) {
                copyInto(p.getValue().getArray(), byName.get(p.getKey()));
            }
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }

    /** Writes an entry's values into the tensor of {@code array} (PyTorch's copy, not a storage swap). */
    private static void copyInto(NDArray array, Entry e) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(e.data().length).order(ByteOrder.nativeOrder());
        buffer.put(e.data()).flip();
        try (NDManager scratch = array.getManager().newSubManager()) {
            NDArray values = scratch.create(buffer, e.shape(), e.type());
            NDArray target = array;
            if (e.shape().dimension() == 0) { // index_put_ needs an index: write through a 1-element view
                target = array.expandDims(0);
                target.attach(scratch);
                values = values.expandDims(0);
            }
            target.set(new NDIndex().addAllDim(target.getShape().dimension()), values);
        }
    }

    public void write(DataOutputStream out) throws IOException {
        out.writeInt(entries.size());
        for (Entry e : entries) {
            out.writeUTF(e.name());
            long[] dims = e.shape().getShape();
            out.writeInt(dims.length);
            for (long d : dims) {
                out.writeLong(d);
            }
            out.writeUTF(e.type().name());
            out.writeInt(e.data().length);
            out.write(e.data());
        }
    }

    public static WeightSnapshot read(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 1_000_000) {
            throw new IOException("not a weight snapshot (" + n + " entries)");
        }
        List<Entry> entries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String name = in.readUTF();
            long[] dims = new long[in.readInt()];
            for (int d = 0; d < dims.length; d++) {
                dims[d] = in.readLong();
            }
            DataType type;
            try {
                type = DataType.valueOf(in.readUTF());
            } catch (IllegalArgumentException e) {
                throw new IOException("unknown data type in weight snapshot", e);
            }
            byte[] data = new byte[in.readInt()];
            in.readFully(data);
            entries.add(new Entry(name, new Shape(dims), type, data));
        }
        return new WeightSnapshot(entries);
    }
}
