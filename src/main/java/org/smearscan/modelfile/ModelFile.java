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
 */
public final class ModelFile {
    /** Bumped when the layout changes incompatibly; a reader refuses files from a newer version. */
    public static final int FORMAT_VERSION = 1;
    /** Hex digits of the content hash that make a model id (48 bits: collisions are not a practical concern). */
    public static final int ID_LENGTH = 12;

    static final String INFO_ENTRY = "model.json";
    static final String WEIGHTS_ENTRY = "weights.params";
    static final String CHECKSUM_ENTRY = "checksum.sha256";
    static final String VERSION_ENTRY = "format-version";

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

    /** A network with its weights and the description that came with them. */
    public record Loaded(CellNet net, ModelInfo info, String sha256) {
        /** Short name of this exact content (see {@link ModelFile#idOf}). */
        public String id() {
            return idOf(sha256);
        }
    }

    /** A verified model file's description, without its network. */
    public record Described(ModelInfo info, String sha256) {
        public String id() {
            return idOf(sha256);
        }
    }

    /** The model id: the first {@value #ID_LENGTH} hex digits of the content SHA-256. */
    public static String idOf(String sha256) {
        return sha256.substring(0, ID_LENGTH);
    }

    /**
     * Writes next to the target, then renames, so a reader never sees half a file. Software versions
     * (SmearScan, DJL, PyTorch, Java) are added to the provenance, once, unless the caller already set them.
     */
    public static void write(Path file, CellNet net, ModelInfo info) throws IOException {
        if (!net.spec().equals(info.spec())) {
            throw new IllegalArgumentException("the network is a " + net.spec() + " but the description says "
                    + info.spec());
        }
        Provenance provenance = info.provenance().software().isEmpty()
                ? info.provenance().withSoftware(softwareVersions()) : info.provenance();
        byte[] infoBytes = JSON.writeValueAsBytes(info.withProvenance(provenance));
        ByteArrayOutputStream weights = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(weights)) {
            net.network().saveParameters(out);
        }
        byte[] weightBytes = weights.toByteArray();
        AtomicFiles.write(file, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            put(zip, VERSION_ENTRY, Integer.toString(FORMAT_VERSION).getBytes(StandardCharsets.UTF_8));
            put(zip, INFO_ENTRY, infoBytes);
            put(zip, WEIGHTS_ENTRY, weightBytes);
            put(zip, CHECKSUM_ENTRY, sha256(infoBytes, weightBytes).getBytes(StandardCharsets.UTF_8));
            zip.finish(); // writes the central directory; the stream itself is AtomicFiles' to close
        });
    }

    /**
     * Reads and verifies a model file; the network's arrays live in {@code manager}. Every problem with
     * the file is an {@link InvalidModelFileException} naming it.
     */
    public static Loaded read(Path file, NDManager manager) throws IOException {
        Map<String, byte[]> entries = entries(file);
        checkFormatVersion(file, entries);
        byte[] infoBytes = require(entries, INFO_ENTRY, file);
        byte[] weightBytes = require(entries, WEIGHTS_ENTRY, file);
        String sha256 = verifyChecksum(file, entries, infoBytes, weightBytes);
        ModelInfo info = parseInfo(file, infoBytes);
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
        return new Loaded(net, info, sha256);
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
            return new Described(loaded.info(), loaded.sha256());
        }
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

    private static void checkFormatVersion(Path file, Map<String, byte[]> entries) {
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
                long limit = e.getName().equals(WEIGHTS_ENTRY) ? MAX_WEIGHT_BYTES : MAX_INFO_BYTES;
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

    static String sha256(byte[]... parts) {
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
