package org.smearscan.deploy;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.smearscan.model.Architecture;
import org.smearscan.model.CellNet;
import org.smearscan.model.Networks;
import org.smearscan.model.TorchScriptBody;

/**
 * The {@code *.smear} model file: a zip of {@code model.json} (a {@link ModelInfo}), {@code weights.params}
 * (DJL's parameter stream) and {@code checksum.sha256} over both, so a truncated or edited file is refused.
 * For a TorchScript body ({@link Architecture#TORCHSCRIPT}) the parameter stream holds the serialised
 * module itself, so the file needs nothing beside it.
 */
public final class ModelFile {
    /** Bumped when the layout changes incompatibly; a reader refuses files from a newer version. */
    public static final int FORMAT_VERSION = 1;

    static final String INFO_ENTRY = "model.json";
    static final String WEIGHTS_ENTRY = "weights.params";
    static final String CHECKSUM_ENTRY = "checksum.sha256";
    static final String VERSION_ENTRY = "format-version";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ModelFile() {}

    /** A network with its weights and the description that came with them. */
    public record Loaded(CellNet net, ModelInfo info, String sha256) {}

    /** Writes next to the target, then renames, so a reader never sees half a file. */
    public static void write(Path file, CellNet net, ModelInfo info) throws IOException {
        byte[] infoBytes = JSON.writeValueAsBytes(info);
        ByteArrayOutputStream weights = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(weights)) {
            net.network().saveParameters(out);
        }
        byte[] weightBytes = weights.toByteArray();
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            try (OutputStream os = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(os)) {
                put(zip, VERSION_ENTRY, Integer.toString(FORMAT_VERSION).getBytes(StandardCharsets.UTF_8));
                put(zip, INFO_ENTRY, infoBytes);
                put(zip, WEIGHTS_ENTRY, weightBytes);
                put(zip, CHECKSUM_ENTRY, sha256(infoBytes, weightBytes).getBytes(StandardCharsets.UTF_8));
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Reads and verifies a model file; the network's arrays live in {@code manager}. */
    public static Loaded read(Path file, NDManager manager) throws IOException {
        Map<String, byte[]> entries = entries(file);
        byte[] version = require(entries, VERSION_ENTRY, file);
        int formatVersion;
        try {
            formatVersion = Integer.parseInt(new String(version, StandardCharsets.UTF_8).trim());
        } catch (NumberFormatException e) {
            throw new InvalidModelFileException(file, "its format version is not a number");
        }
        if (formatVersion > FORMAT_VERSION) {
            throw new InvalidModelFileException(file, "it was written by a newer SmearScan (format " + formatVersion
                    + "; this one reads up to " + FORMAT_VERSION + ")");
        }
        byte[] infoBytes = require(entries, INFO_ENTRY, file);
        byte[] weightBytes = require(entries, WEIGHTS_ENTRY, file);
        String expected = new String(require(entries, CHECKSUM_ENTRY, file), StandardCharsets.UTF_8).trim();
        String actual = sha256(infoBytes, weightBytes);
        if (!actual.equals(expected)) {
            throw new InvalidModelFileException(file, "checksum mismatch: the file was modified or damaged");
        }
        ModelInfo info;
        try {
            info = JSON.readValue(infoBytes, ModelInfo.class);
        } catch (IOException e) {
            throw new InvalidModelFileException(file, "model.json is not a valid model description: " + e.getMessage());
        }
        CellNet net;
        if (info.spec().architecture() == Architecture.TORCHSCRIPT) {
            // the module arrives with the weights; nothing to initialise before loading
            net = Networks.withBody(info.spec(), TorchScriptBody.empty(manager));
        } else {
            net = Networks.build(info.spec());
            net.network().initialize(manager, DataType.FLOAT32, new Shape(1, 3, info.imageSize(), info.imageSize()));
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(weightBytes))) {
            net.network().loadParameters(manager, in);
        } catch (MalformedModelException | IOException | RuntimeException e) {
            throw new InvalidModelFileException(file, "its weights do not fit a " + info.spec().architecture()
                    + " network: " + e.getMessage());
        }
        return new Loaded(net, info, actual);
    }

    private static Map<String, byte[]> entries(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new InvalidModelFileException(file, "no such file");
        }
        Map<String, byte[]> entries = new HashMap<>();
        try (InputStream in = Files.newInputStream(file); ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                entries.put(e.getName(), zip.readAllBytes());
            }
        } catch (IOException e) {
            throw new InvalidModelFileException(file, "not a readable model file (truncated or not a zip): "
                    + e.getMessage());
        }
        if (entries.isEmpty()) {
            throw new InvalidModelFileException(file, "not a model file (empty or not a zip)");
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
