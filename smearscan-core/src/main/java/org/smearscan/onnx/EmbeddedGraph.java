package org.smearscan.onnx;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.smearscan.model.Architecture;
import org.smearscan.model.CellNet;
import org.smearscan.modelfile.ModelFile;
import org.smearscan.modelfile.ModelInfo;

/**
 * Model files that carry their network as an ONNX graph ({@code model.onnx}, see {@link ModelFile}), so ONNX
 * Runtime runs the stored graph instead of converting the network each time it loads. The graph is exported
 * from a copy of the network made from the bytes being written, and records their hash, so it is the file's
 * own network and the caller's network is left as it was.
 */
public final class EmbeddedGraph {
    private EmbeddedGraph() {}

    /**
     * How a model file was written.
     *
     * @param contents     what it holds besides the graph (description and hash)
     * @param embedded     whether it holds an ONNX graph
     * @param notEmbedded  why not, when it does not (for the user); empty when it does
     */
    public record Written(ModelFile.Contents contents, boolean embedded, String notEmbedded) {}

    /**
     * Writes a model file with its ONNX graph when the network can be exported (every architecture
     * {@code train} builds), and without one otherwise (a TorchScript body), saying why. A failure of the
     * export itself does not lose the model either: the file is written without a graph and the reason returned.
     */
    public static Written writeModelFile(Path file, CellNet net, ModelInfo info) throws IOException {
        ModelFile.Contents contents = ModelFile.contents(net, info);
        String reason;
        if (net.spec().architecture() == Architecture.TORCHSCRIPT) {
            reason = "a TorchScript body cannot be exported to ONNX, so ONNX Runtime cannot run this model";
        } else {
            try {
                byte[] graph = graph(contents);
                ModelFile.write(file, contents, Optional.of(graph));
                return new Written(contents, true, "");
            } catch (RuntimeException e) {
                reason = "the network could not be exported to ONNX: " + e.getMessage();
            }
        }
        ModelFile.write(file, contents, Optional.empty());
        return new Written(contents, false, reason);
    }

    /**
     * Writes {@code source}'s network with another description to {@code target} (which may be {@code source}),
     * with its ONNX graph when the network can be exported; for a new threshold, temperature or
     * out-of-distribution score. The network is read afresh from {@code source}, so nothing it went through since
     * (such as batch-norm folding) reaches the file.
     */
    public static Written rewrite(Path source, Path target, ModelInfo info) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelFile.Loaded loaded = ModelFile.read(source, manager);
            return writeModelFile(target, loaded.net(), info);
        }
    }

    /**
     * Verifies {@code source} and copies it to {@code target} with a freshly exported ONNX graph (replacing any
     * it had), atomically; the model id stays the same. An existing target is replaced only when
     * {@code overwrite} is set.
     *
     * @throws UnsupportedOperationException for a network that cannot be exported (a TorchScript body)
     */
    public static ModelFile.Described export(Path source, Path target, boolean overwrite) throws IOException {
        byte[] graph;
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelFile.Loaded loaded = ModelFile.read(source, manager);
            graph = OnnxExport.export(loaded.net(), loaded.info(), loaded.sha256()).toByteArray();
        }
        return ModelFile.export(source, target, overwrite, graph);
    }

    /** The ONNX graph of the network the contents hold, exported from a copy (export folds batch norms in place). */
    private static byte[] graph(ModelFile.Contents contents) {
        try (NDManager manager = NDManager.newBaseManager()) {
            CellNet copy = contents.network(manager);
            return OnnxExport.export(copy, contents.info(), contents.sha256()).toByteArray();
        }
    }
}
