package org.smearscan.inference;

import ai.djl.ndarray.NDManager;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.smearscan.modelfile.InvalidModelFileException;
import org.smearscan.modelfile.ModelFile;
import org.smearscan.modelfile.ModelInfo;
import org.smearscan.onnx.OnnxExport;
import org.smearscan.onnx.OnnxMetadata;

/**
 * The exported ONNX graph ({@link OnnxExport}) run by ONNX Runtime: from a .onnx file, from the graph a .smear file
 * stores, or converted from a .smear file's network on opening. It computes logits only: Grad-CAM needs
 * gradients, which stay with PyTorch.
 */
final class OnnxRuntimeEngine implements InferenceEngine {
    /** The first bytes of a zip, which every .smear file is; an ONNX file is a protobuf message. */
    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};

    private final OrtEnvironment env;
    private final OrtSession session;
    /** Whether the graph has the features output (graphs exported before it existed do not). */
    private final boolean hasFeatures;

    /** A classifier's engine and the description that goes with it. */
    record Opened(OnnxRuntimeEngine engine, ModelInfo info, String sha256) {}

    private OnnxRuntimeEngine(OrtEnvironment env, OrtSession session) {
        this.env = env;
        this.session = session;
        this.hasFeatures = session.getOutputNames().contains(OnnxExport.FEATURES);
    }

    /**
     * Opens a model for ONNX Runtime: an ONNX file exported by SmearScan (described by its metadata), or a
     * .smear file, verified: the ONNX graph stored in it when it holds one (PyTorch is not needed then), else its
     * network exported to ONNX in memory.
     *
     * @param threads ONNX Runtime's intra-op threads, or 0 for its default (one per core)
     */
    static Opened open(Path file, int threads) throws IOException {
        if (!isSmearFile(file)) {
            return session(file, Files.readAllBytes(file), threads, "is not a readable ONNX model", metadata -> {
                ModelInfo info;
                try {
                    info = OnnxMetadata.toInfo(metadata);
                } catch (IllegalArgumentException e) {
                    throw new InvalidModelFileException(file, e.getMessage());
                }
                String sha256 = metadata.get(OnnxMetadata.MODEL_SHA256);
                if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
                    throw new InvalidModelFileException(file, "its metadata lack the source model's "
                            + OnnxMetadata.MODEL_SHA256 + " (not exported by SmearScan?)");
                }
                return new Described(info, sha256);
            });
        }
        Optional<ModelFile.StoredGraph> stored = ModelFile.readOnnxGraph(file);
        if (stored.isPresent()) {
            // The file's checksums already cover the graph; it must also say it is this model's (its recorded
            // hash), so a graph that belongs to another model is refused even with consistent checksums.
            ModelFile.StoredGraph graph = stored.get();
            return session(file, graph.onnx(), threads, "its ONNX graph is not a readable ONNX model", metadata -> {
                String recorded = metadata.get(OnnxMetadata.MODEL_SHA256);
                if (!graph.sha256().equals(recorded)) {
                    throw new InvalidModelFileException(file, "its ONNX graph was exported from another model (it"
                            + " records " + OnnxMetadata.MODEL_SHA256 + " " + recorded + ", the file's is "
                            + graph.sha256() + ")");
                }
                return new Described(graph.info(), graph.sha256());
            });
        }
        ModelFile.Loaded loaded;
        byte[] graph;
        try (NDManager manager = NDManager.newBaseManager()) {
            loaded = ModelFile.read(file, manager);
            try {
                graph = OnnxExport.export(loaded.net(), loaded.info(), loaded.sha256()).toByteArray();
            } catch (UnsupportedOperationException e) {
                throw new InvalidModelFileException(file, "cannot run on ONNX Runtime: " + e.getMessage());
            }
        }
        return session(file, graph, threads, "its network, exported to ONNX, is refused by ONNX Runtime",
                metadata -> new Described(loaded.info(), loaded.sha256()));
    }

    /** What a checked graph runs as: the model's description and its .smear file's SHA-256. */
    private record Described(ModelInfo info, String sha256) {}

    /** Checks an open session's metadata and says which model it is; throws to refuse it. */
    private interface Check {
        Described describe(Map<String, String> metadata);
    }

    /**
     * A session on {@code graph}, once it has SmearScan's input and output and {@code check} accepts its metadata;
     * a refused session is closed. {@code unreadable} says what is wrong when ONNX Runtime cannot read the graph.
     */
    private static Opened session(Path file, byte[] graph, int threads, String unreadable, Check check)
            throws IOException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session;
        try {
            session = env.createSession(graph, options(threads));
        } catch (OrtException e) {
            throw new InvalidModelFileException(file, unreadable + ": " + e.getMessage());
        }
        try {
            checkSignature(file, session);
            Described model = check.describe(session.getMetadata().getCustomMetadata());
            return new Opened(new OnnxRuntimeEngine(env, session), model.info(), model.sha256());
        } catch (OrtException | RuntimeException e) {
            closeQuietly(session);
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new InvalidModelFileException(file, "cannot read its ONNX metadata: " + e.getMessage());
        }
    }

    /** Whether the file is a zip (a .smear file) rather than an ONNX protobuf. */
    static boolean isSmearFile(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new InvalidModelFileException(file, Files.isDirectory(file) ? "is a folder, not a model file"
                    : "no such file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return Arrays.equals(in.readNBytes(ZIP_MAGIC.length), ZIP_MAGIC);
        }
    }

    private static void checkSignature(Path file, OrtSession session) {
        if (!session.getInputNames().contains(OnnxExport.INPUT)
                || !session.getOutputNames().contains(OnnxExport.LOGITS)) {
            throw new InvalidModelFileException(file, "its graph has inputs " + session.getInputNames()
                    + " and outputs " + session.getOutputNames() + ", not '" + OnnxExport.INPUT + "' and '"
                    + OnnxExport.LOGITS + "' (not exported by SmearScan?)");
        }
    }

    private static OrtSession.SessionOptions options(int threads) throws IOException {
        try {
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (threads > 0) {
                options.setIntraOpNumThreads(threads);
            }
            // Threads that spin while waiting for work take the cores from anything else on the machine (as
            // OMP_WAIT_POLICY=PASSIVE avoids for PyTorch); sleeping waiters cost a little latency instead.
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            return options;
        } catch (OrtException e) {
            throw new IOException("ONNX Runtime refused its session options: " + e.getMessage(), e);
        }
    }

    @Override
    public EngineKind kind() {
        return EngineKind.ONNXRUNTIME;
    }

    @Override
    public Outputs outputs(float[] batch, int images, int size, boolean withFeatures) {
        boolean features = withFeatures && hasFeatures;
        Set<String> wanted = features ? Set.of(OnnxExport.LOGITS, OnnxExport.FEATURES) : Set.of(OnnxExport.LOGITS);
        try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(batch, 0, images * 3 * size * size),
                new long[] {images, 3, size, size});
                OrtSession.Result result = session.run(Map.of(OnnxExport.INPUT, x), wanted)) {
            float[] logits = floats(result, OnnxExport.LOGITS);
            return new Outputs(logits, features ? floats(result, OnnxExport.FEATURES) : null);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on a batch of " + images + ": " + e.getMessage(), e);
        }
    }

    private static float[] floats(OrtSession.Result result, String name) {
        FloatBuffer values = ((OnnxTensor) result.get(name).orElseThrow()).getFloatBuffer();
        float[] out = new float[values.remaining()];
        values.get(out);
        return out;
    }

    @Override
    public float[][][] heatmaps(float[] batch, int images, int size, int[] targetClasses) {
        throw new UnsupportedOperationException("Grad-CAM heatmaps need gradients, which only the PyTorch engine "
                + "computes: use --engine pytorch for heatmaps");
    }

    @Override
    public void close() {
        closeQuietly(session);
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            // nothing left to release that a caller could act on
        }
    }
}
