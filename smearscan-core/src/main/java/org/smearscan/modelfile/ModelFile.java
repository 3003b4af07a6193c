package org.smearscan.modelfile;

import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.smearscan.io.AtomicFiles;
import org.smearscan.model.Architecture;
import org.smearscan.model.CellNet;
import org.smearscan.model.Networks;
import org.smearscan.model.TorchScriptBody;

/**
 * The {@code *.smear} model file: a zip of {@code format-version}, {@code model.json} (a {@link ModelInfo}),
 * {@code weights.params} (DJL's parameter stream) and {@code checksum.sha256}, the SHA-256 of model.json
 * followed by the weights, so a truncated or edited file is refused. The model id is a prefix of that hash:
 * it names the content, so a copied or re-zipped model keeps its id.
 * For a TorchScript body ({@link Architecture#TORCHSCRIPT}) the parameter stream holds the serialised
 * module itself, so the file needs nothing beside it.
 *
 * <p>A file may also hold the network as an ONNX graph, {@code model.onnx}, which ONNX Runtime runs instead of
 * converting the network on loading. Such a file is format {@value #FORMAT_VERSION} and holds
 * {@code model.onnx.sha256} as well, the SHA-256 of model.json, the weights and the graph, in that order, so the
 * graph is checked with the rest of the file and bound to its model. The model id stays the hash of model.json and
 * the weights: a model with or without its graph has the same id (the graph records that id's hash in its
 * metadata). Files without a graph are still written as format {@value #PLAIN_FORMAT_VERSION}, byte for byte as
 * before, so older SmearScans read them; an older SmearScan refuses a file with a graph as "written by a newer
 * SmearScan (format 2 ...): upgrade". This package treats the graph as opaque bytes: the {@code onnx} package
 * builds it, ONNX Runtime reads it.
 */
public final class ModelFile {
    /** Bumped when the layout changes incompatibly; a reader refuses files from a newer version. */
    public static final int FORMAT_VERSION = 2;
    /** The format of a file without an ONNX graph: the layout of format 1, unchanged. */
    public static final int PLAIN_FORMAT_VERSION = 1;
    /** Hex digits of the content hash that make a model id (48 bits: collisions are not a practical concern). */
    public static final int ID_LENGTH = 12;

    static final String INFO_ENTRY = "model.json";
    static final String WEIGHTS_ENTRY = "weights.params";
    static final String CHECKSUM_ENTRY = "checksum.sha256";
    static final String VERSION_ENTRY = "format-version";
    static final String ONNX_ENTRY = "model.onnx";
    static final String ONNX_CHECKSUM_ENTRY = "model.onnx.sha256";

    /** A model.json this large is not one SmearScan wrote; refusing it keeps a hostile file from filling memory. */
    private static final int MAX_INFO_BYTES = 1 << 20;
    private static final long MAX_WEIGHT_BYTES = Integer.MAX_VALUE - 16;
    private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-f]{64}");

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            // the id hashes these bytes: the same description must always serialise the same way
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // metrics such as precision are NaN when undefined; they must survive the round trip
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private ModelFile() {}

    /**
     * A network with its weights and the description that came with them.
     *
     * @param hasOnnxGraph whether the file also holds the network as an ONNX graph (verified)
     */
    public record Loaded(CellNet net, ModelInfo info, String sha256, boolean hasOnnxGraph) {
        /** Short name of this exact content (see {@link ModelFile#idOf}). */
        public String id() {
            return idOf(sha256);
        }
    }

    /** A verified model file's description, without its network; {@code hasOnnxGraph} as in {@link Loaded}. */
    public record Described(ModelInfo info, String sha256, boolean hasOnnxGraph) {
        public String id() {
            return idOf(sha256);
        }
    }

    /** The model id: the first {@value #ID_LENGTH} hex digits of the content SHA-256. */
    public static String idOf(String sha256) {
        return sha256.substring(0, ID_LENGTH);
    }

    /**
     * What a model file holds for a network and its description, serialised but not yet written: the id's
     * hash is known here, before the file exists, so an ONNX graph that records it can be made to go with it.
     * The weights are copied out of the network, so changing the network afterwards leaves these alone.
     */
    public static final class Contents {
        private final ModelInfo info;
        private final byte[] infoBytes;
        private final byte[] weightBytes;
        private final String sha256;

        private Contents(ModelInfo info, byte[] infoBytes, byte[] weightBytes) {
            this.info = info;
            this.infoBytes = infoBytes;
            this.weightBytes = weightBytes;
            this.sha256 = ModelFile.sha256(infoBytes, weightBytes);
        }

        /** The description as it will be written (software versions added to its provenance). */
        public ModelInfo info() {
            return info;
        }

        /** The content hash the model id comes from: the same with or without an ONNX graph. */
        public String sha256() {
            return sha256;
        }

        public String id() {
            return idOf(sha256);
        }

        /**
         * A new copy of the network, loaded from these bytes into {@code manager} as {@link #read} loads a
         * file's: for work that changes a network (such as exporting it) without touching the caller's.
         */
        public CellNet network(NDManager manager) {
            return ModelFile.network(Path.of("(model being written)"), info, weightBytes, manager);
        }
    }

    /**
     * Serialises a network and its description. Software versions (SmearScan, DJL, PyTorch, Java) are added to
     * the provenance, once, unless the caller already set them.
     */
    public static Contents contents(CellNet net, ModelInfo info) throws IOException {
        if (!net.spec().equals(info.spec())) {
            throw new IllegalArgumentException("the network is a " + net.spec() + " but the description says "
                    + info.spec());
        }
        Provenance provenance = info.provenance().software().isEmpty()
                ? info.provenance().withSoftware(softwareVersions()) : info.provenance();
        ModelInfo written = info.withProvenance(provenance);
        byte[] infoBytes = JSON.writeValueAsBytes(written);
        ByteArrayOutputStream weights = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(weights)) {
            net.network().saveParameters(out);
        }
        return new Contents(written, infoBytes, weights.toByteArray());
    }

    /**
     * Writes a model file without an ONNX graph (format {@value #PLAIN_FORMAT_VERSION}); see
     * {@link #write(Path, Contents, Optional)}.
     */
    public static void write(Path file, CellNet net, ModelInfo info) throws IOException {
        write(file, contents(net, info), Optional.empty());
    }

    /**
     * Writes next to the target, then renames, so a reader never sees half a file. With an ONNX graph the file
     * is format {@value #FORMAT_VERSION} and its graph checksum covers the graph; without one it is format
     * {@value #PLAIN_FORMAT_VERSION}, as older SmearScans wrote and read it. The graph is stored as given: the
     * caller ({@code org.smearscan.onnx}) makes it from the same network, recording {@link Contents#sha256()}.
     */
    public static void write(Path file, Contents contents, Optional<byte[]> onnxGraph) throws IOException {
        byte[] infoBytes = contents.infoBytes;
        byte[] weightBytes = contents.weightBytes;
        byte[] graph = onnxGraph.orElse(null);
        if (graph != null && graph.length == 0) {
            throw new IllegalArgumentException("an empty ONNX graph");
        }
        int version = graph == null ? PLAIN_FORMAT_VERSION : FORMAT_VERSION;
        AtomicFiles.write(file, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            put(zip, VERSION_ENTRY, Integer.toString(version).getBytes(StandardCharsets.UTF_8));
            put(zip, INFO_ENTRY, infoBytes);
            put(zip, WEIGHTS_ENTRY, weightBytes);
            put(zip, CHECKSUM_ENTRY, contents.sha256.getBytes(StandardCharsets.UTF_8));
            if (graph != null) {
                put(zip, ONNX_ENTRY, graph);
                put(zip, ONNX_CHECKSUM_ENTRY, sha256(infoBytes, weightBytes, graph).getBytes(StandardCharsets.UTF_8));
            }
            zip.finish(); // writes the central directory; the stream itself is AtomicFiles' to close
        });
    }

    /**
     * Reads and verifies a model file; the network's arrays live in {@code manager}. Every problem with
     * the file is an {@link InvalidModelFileException} naming it.
     */
    public static Loaded read(Path file, NDManager manager) throws IOException {
        Map<String, byte[]> entries = entries(file);
        int version = checkFormatVersion(file, entries);
        byte[] infoBytes = require(entries, INFO_ENTRY, file);
        byte[] weightBytes = require(entries, WEIGHTS_ENTRY, file);
        String sha256 = verifyChecksum(file, entries, infoBytes, weightBytes);
        boolean hasGraph = verifyOnnxGraph(file, entries, version, infoBytes, weightBytes).isPresent();
        ModelInfo info = parseInfo(file, infoBytes);
        return new Loaded(network(file, info, weightBytes, manager), info, sha256, hasGraph);
    }

    /** Builds the described network and loads the weights into it, checking that they fit. */
    private static CellNet network(Path file, ModelInfo info, byte[] weightBytes, NDManager manager) {
        CellNet net;
        try {
            net = uninitialisedNetwork(info, manager);
        } catch (RuntimeException e) {
            throw new InvalidModelFileException(file, "its network (" + info.spec() + ") cannot be built: "
                    + e.getMessage());
        }
        // Loaded without initialising first, as DJL's own model loading does: the parameter stream keeps the
        // input shapes it was saved with, so saving a loaded model again gives the same bytes (and id).
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(weightBytes))) {
            net.network().loadParameters(manager, in);
            if (in.available() > 0) {
                throw new InvalidModelFileException(file, "its weights hold " + in.available()
                        + " bytes more than a " + info.spec().architecture() + " network has");
            }
        } catch (MalformedModelException | IOException | RuntimeException e) {
            if (e instanceof InvalidModelFileException invalid) {
                throw invalid;
            }
            throw new InvalidModelFileException(file, "its weights do not fit a " + info.spec().architecture()
                    + " network: " + e.getMessage());
        }
        checkOutputShape(file, net, info, manager);
        return net;
    }

    /** The network's structure, without parameters: {@code loadParameters} creates them from the stream. */
    private static CellNet uninitialisedNetwork(ModelInfo info, NDManager manager) {
        if (info.spec().architecture() == Architecture.TORCHSCRIPT) {
            // the module arrives with the weights stream
            return Networks.withBody(info.spec(), TorchScriptBody.empty(manager));
        }
        return Networks.build(info.spec());
    }

    /** Parameter streams do not record every shape: one forward pass proves the network maps images to classes. */
    private static void checkOutputShape(Path file, CellNet net, ModelInfo info, NDManager manager) {
        Shape expected = new Shape(1, info.classes().size());
        Shape actual;
        try (NDManager probe = manager.newSubManager()) {
            NDArray x = probe.zeros(new Shape(1, 3, info.imageSize(), info.imageSize()));
            actual = net.network().forward(new ParameterStore(manager, false), new NDList(x), false)
                    .singletonOrThrow().getShape();
        } catch (RuntimeException e) {
            throw new InvalidModelFileException(file, "its weights do not fit a " + info.spec().architecture()
                    + " network at " + info.imageSize() + " px: " + e.getMessage());
        }
        if (!actual.equals(expected)) {
            throw new InvalidModelFileException(file, "its network answers " + actual + " for one image, not "
                    + expected + " (" + info.classes().size() + " classes)");
        }
    }

    /** Verifies a model file completely (the weights are loaded into a network, then released). */
    public static Described verify(Path file) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            Loaded loaded = read(file, manager);
            return new Described(loaded.info(), loaded.sha256(), loaded.hasOnnxGraph());
        }
    }

    /**
     * A model file's ONNX graph, with the description and hash that go with it.
     *
     * @param onnx the serialised ONNX {@code ModelProto}, as {@code org.smearscan.onnx} wrote it
     */
    public record StoredGraph(ModelInfo info, String sha256, byte[] onnx) {}

    /**
     * The ONNX graph a model file holds, if it holds one. The whole file is verified as {@link #read} verifies it
     * (format, every checksum, description), except that the weights are not loaded into a network: ONNX
     * Runtime runs the graph, so PyTorch is not needed. A file without a graph is verified the same way.
     */
    public static Optional<StoredGraph> readOnnxGraph(Path file) {
        Map<String, byte[]> entries = entries(file);
        int version = checkFormatVersion(file, entries);
        byte[] infoBytes = require(entries, INFO_ENTRY, file);
        byte[] weightBytes = require(entries, WEIGHTS_ENTRY, file);
        String sha256 = verifyChecksum(file, entries, infoBytes, weightBytes);
        Optional<byte[]> graph = verifyOnnxGraph(file, entries, version, infoBytes, weightBytes);
        ModelInfo info = parseInfo(file, infoBytes);
        return graph.map(g -> new StoredGraph(info, sha256, g));
    }

    /**
     * Copies a model file after verifying it, atomically; an existing target is replaced only when
     * {@code overwrite} is set, so an export never silently destroys another model.
     */
    public static Described export(Path source, Path target, boolean overwrite) throws IOException {
        Described described = verify(source);
        if (!overwrite && Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString(), null, "already exists (use --force to replace it)");
        }
        AtomicFiles.write(target, out -> Files.copy(source, out));
        return described;
    }

    /**
     * As {@link #export(Path, Path, boolean)}, but the copy holds {@code onnxGraph} (replacing any graph the
     * source had): the source's entries are written again with it, so the model id stays the same. The graph
     * must be the source's network's, recording the source's hash (see {@link StoredGraph}).
     */
    public static Described export(Path source, Path target, boolean overwrite, byte[] onnxGraph) throws IOException {
        Described described = verify(source);
        if (!overwrite && Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString(), null, "already exists (use --force to replace it)");
        }
        Map<String, byte[]> entries = entries(source);
        Contents contents = new Contents(described.info(), entries.get(INFO_ENTRY), entries.get(WEIGHTS_ENTRY));
        write(target, contents, Optional.of(onnxGraph));
        return new Described(described.info(), described.sha256(), true);
    }

    /** The versions that produced a model, recorded in its provenance. */
    public static Map<String, String> softwareVersions() {
        Map<String, String> versions = new LinkedHashMap<>();
        String own = ModelFile.class.getPackage().getImplementationVersion();
        versions.put("smearscan.version", own != null ? own : "development");
        versions.put("djl.version", Engine.getDjlVersion());
        try {
            versions.put("pytorch.version", Engine.getEngine("PyTorch").getVersion());
        } catch (RuntimeException e) {
            versions.put("pytorch.version", "unknown");
        }
        versions.put("java.version", System.getProperty("java.version"));
        versions.put("os.arch", System.getProperty("os.arch"));
        return versions;
    }

    private static int checkFormatVersion(Path file, Map<String, byte[]> entries) {
        byte[] version = require(entries, VERSION_ENTRY, file);
        int formatVersion;
        try {
            formatVersion = Integer.parseInt(new String(version, StandardCharsets.UTF_8).trim());
        } catch (NumberFormatException e) {
            throw new InvalidModelFileException(file, "its format version is not a number");
        }
        if (formatVersion > FORMAT_VERSION) {
            throw new InvalidModelFileException(file, "it was written by a newer SmearScan (format " + formatVersion
                    + "; this one reads up to " + FORMAT_VERSION + "): upgrade SmearScan to use it");
        }
        if (formatVersion < 1) {
            throw new InvalidModelFileException(file, "its format version " + formatVersion + " is not valid");
        }
        return formatVersion;
    }

    /**
     * The graph, when the file holds one, after checking it against its checksum, which covers model.json and
     * the weights too. A format 2 file must hold one: without it the file lost an entry.
     */
    private static Optional<byte[]> verifyOnnxGraph(Path file, Map<String, byte[]> entries, int version,
            byte[] infoBytes, byte[] weightBytes) {
        byte[] graph = entries.get(ONNX_ENTRY);
        byte[] checksum = entries.get(ONNX_CHECKSUM_ENTRY);
        if (graph == null && checksum == null) {
            if (version >= 2) {
                throw new InvalidModelFileException(file, "it lacks " + ONNX_ENTRY + ", which a format " + version
                        + " file holds (truncated, or entries removed)");
            }
            return Optional.empty();
        }
        if (graph == null) {
            throw new InvalidModelFileException(file, "it has " + ONNX_CHECKSUM_ENTRY + " but lacks " + ONNX_ENTRY
                    + " (truncated, or entries removed)");
        }
        if (checksum == null) {
            throw new InvalidModelFileException(file, "it holds an ONNX graph (" + ONNX_ENTRY + ") without its "
                    + ONNX_CHECKSUM_ENTRY + ", so the graph cannot be checked");
        }
        String expected = new String(checksum, StandardCharsets.UTF_8).trim();
        if (!HEX_SHA256.matcher(expected).matches()) {
            throw new InvalidModelFileException(file, "its " + ONNX_CHECKSUM_ENTRY + " entry is not a SHA-256");
        }
        if (!sha256(infoBytes, weightBytes, graph).equals(expected)) {
            throw new InvalidModelFileException(file, "checksum mismatch in its ONNX graph (" + ONNX_ENTRY
                    + "): the file was modified or damaged");
        }
        return Optional.of(graph);
    }

    private static String verifyChecksum(Path file, Map<String, byte[]> entries, byte[] infoBytes, byte[] weightBytes) {
        String expected = new String(require(entries, CHECKSUM_ENTRY, file), StandardCharsets.UTF_8).trim();
        if (!HEX_SHA256.matcher(expected).matches()) {
            throw new InvalidModelFileException(file, "its checksum entry is not a SHA-256");
        }
        String actual = sha256(infoBytes, weightBytes);
        if (!actual.equals(expected)) {
            throw new InvalidModelFileException(file, "checksum mismatch: the file was modified or damaged");
        }
        return actual;
    }

    private static ModelInfo parseInfo(Path file, byte[] infoBytes) {
        try {
            ModelInfo info = JSON.readValue(infoBytes, ModelInfo.class);
            if (info == null) {
                throw new InvalidModelFileException(file, "model.json is empty");
            }
            return info;
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidModelFileException(file, "model.json is not a valid model description: "
                    + rootMessage(e));
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
        int newline = message.indexOf('\n');
        return newline >= 0 ? message.substring(0, newline) : message;
    }

    private static Map<String, byte[]> entries(Path file) {
        if (Files.isDirectory(file)) {
            throw new InvalidModelFileException(file, "is a folder, not a model file");
        }
        if (!Files.isRegularFile(file)) {
            throw new InvalidModelFileException(file, "no such file");
        }
        Map<String, byte[]> entries = new HashMap<>();
        // ZipFile reads the central directory at the end of the file, so a file cut short anywhere is refused
        // (a streaming read would accept one that lost only its directory).
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (ZipEntry e : Collections.list(zip.entries())) {
                long limit = e.getName().equals(WEIGHTS_ENTRY) || e.getName().equals(ONNX_ENTRY)
                        ? MAX_WEIGHT_BYTES : MAX_INFO_BYTES;
                byte[] bytes;
                try (InputStream in = zip.getInputStream(e)) {
                    bytes = in.readNBytes((int) limit + 1);
                }
                if (bytes.length > limit) {
                    throw new InvalidModelFileException(file, "its entry " + e.getName() + " is implausibly large");
                }
                if (entries.put(e.getName(), bytes) != null) {
                    throw new InvalidModelFileException(file, "it holds " + e.getName() + " twice");
                }
            }
        } catch (IOException e) {
            throw new InvalidModelFileException(file, "not a readable model file (truncated, damaged or not a zip): "
                    + e.getMessage());
        }
        if (entries.isEmpty()) {
            throw new InvalidModelFileException(file, "not a model file (empty, truncated or not a zip)");
        }
        return entries;
    }

    private static byte[] require(Map<String, byte[]> entries, String name, Path file) {
        byte[] bytes = entries.get(name);
        if (bytes == null) {
            throw new InvalidModelFileException(file, "it lacks " + name + " (truncated, or not a SmearScan model)");
        }
        return bytes;
    }

    private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }

    /** SHA-256, in hex, of the parts one after another (also what a shipped model's bytes are checked by). */
    public static String sha256(byte[]... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (byte[] part : parts) {
                digest.update(part);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
