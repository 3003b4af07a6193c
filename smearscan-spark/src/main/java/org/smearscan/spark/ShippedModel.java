package org.smearscan.spark;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.smearscan.inference.CellClassifier;
import org.smearscan.modelfile.InvalidModelFileException;
import org.smearscan.modelfile.ModelFile;
import org.smearscan.modelfile.ModelInfo;

/**
 * A model file as the job sends it to executors: its bytes, with the hash and description the driver verified.
 * Each executor JVM writes the bytes to its work folder and loads them with {@link CellClassifier#load}, which
 * verifies the file again (format, checksums, weights), then checks that the hash is the driver's: a file
 * changed on the way fails the task with the reason, never gives answers from another model.
 */
public final class ShippedModel implements Serializable {
    private static final long serialVersionUID = 1L;

    /** One classifier per executor JVM and model, shared by the tasks that run in it (it is thread-safe). */
    private static final Map<String, CellClassifier> LOADED = new HashMap<>();

    private final String name;
    private final byte[] bytes;
    /** SHA-256 of the file's bytes: checked on arrival, before the executor writes them. */
    private final String bytesSha256;
    /** The model's own hash (description and weights, as {@link ModelFile} defines it): checked after loading. */
    private final String sha256;
    /** Driver side only: what the job needs to know of the model (its classes) before any task runs. */
    private final transient ModelInfo info;

    private ShippedModel(String name, byte[] bytes, String bytesSha256, String sha256, ModelInfo info) {
        this.name = name;
        this.bytes = bytes;
        this.bytesSha256 = bytesSha256;
        this.sha256 = sha256;
        this.info = info;
    }

    /** A model as it arrives on an executor: its bytes and the two hashes the driver sent with them. */
    static ShippedModel arrived(String name, byte[] bytes, String bytesSha256, String sha256) {
        return new ShippedModel(name, bytes, bytesSha256, sha256, null);
    }

    /** Reads and verifies a model file on the driver; a file that cannot be used fails here, before any task. */
    public static ShippedModel read(Path modelFile) throws IOException {
        byte[] bytes = Files.readAllBytes(modelFile);
        ModelFile.Described described = ModelFile.verify(modelFile);
        if (!digest(Files.readAllBytes(modelFile)).equals(digest(bytes))) {
            throw new InvalidModelFileException(modelFile, "changed while it was being read; run the job again");
        }
        return new ShippedModel(modelFile.getFileName().toString(), bytes, digest(bytes), described.sha256(),
                described.info());
    }

    public String name() {
        return name;
    }

    public String sha256() {
        return sha256;
    }

    String bytesSha256() {
        return bytesSha256;
    }

    byte[] bytes() {
        return bytes.clone();
    }

    public String modelId() {
        return ModelFile.idOf(sha256);
    }

    /** The model's description; on the driver only (it is not sent to executors). */
    public ModelInfo info() {
        if (info == null) {
            throw new IllegalStateException("the model's description stays on the driver");
        }
        return info;
    }

    /**
     * The classifier for this model in this JVM, loaded from the shipped bytes on first use. {@code workDir} is
     * where the bytes are written (the executor's Spark work folder).
     */
    public CellClassifier open(Path workDir) {
        synchronized (LOADED) {
            CellClassifier classifier = LOADED.get(sha256);
            if (classifier == null) {
                classifier = load(workDir);
                LOADED.put(sha256, classifier);
            }
            return classifier;
        }
    }

    private CellClassifier load(Path workDir) {
        try {
            if (!digest(bytes).equals(bytesSha256)) {
                throw new InvalidModelFileException(Path.of(name), "arrived changed on this executor: its bytes"
                        + " hash to " + digest(bytes) + ", the driver sent " + bytesSha256);
            }
            Path file = Files.createTempFile(Files.createDirectories(workDir), "model-" + modelId() + "-", ".smear");
            Files.write(file, bytes);
            CellClassifier classifier = CellClassifier.load(file);
            try {
                requireHash(classifier.sha256(), file);
            } catch (InvalidModelFileException e) {
                classifier.close();
                throw e;
            }
            return classifier;
        } catch (IOException e) {
            throw new UncheckedIOException("executor could not load the model " + name + ": " + e.getMessage(), e);
        }
    }

    private void requireHash(String actual, Path file) throws InvalidModelFileException {
        if (!actual.equals(sha256)) {
            throw new InvalidModelFileException(file, "is not the model the driver verified (" + name + ", sha256 "
                    + sha256 + "): its sha256 is " + actual);
        }
    }

    static String digest(byte[] bytes) {
        return ModelFile.sha256(bytes);
    }


    /** Closes the classifiers this JVM loaded (a local-mode driver does so when the job ends). */
    public static void closeLoaded() {
        synchronized (LOADED) {
            LOADED.values().forEach(CellClassifier::close);
            LOADED.clear();
        }
    }
}
