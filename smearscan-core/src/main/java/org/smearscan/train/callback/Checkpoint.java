package org.smearscan.train.callback;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.smearscan.io.AtomicFiles;
import org.smearscan.train.WeightSnapshot;

/**
 * Everything needed to continue a run after its last completed epoch: weights, optimizer state, where in
 * which phase the schedule stands, and the state of every {@link org.smearscan.train.Stateful} callback
 * (tracker, early stopping, history, the recorder's batch log). One zip file, replaced atomically after
 * every epoch, so a run killed at any moment leaves the previous complete checkpoint.
 *
 * @param state     positions in the plan
 * @param weights   every parameter, BatchNorm statistics included
 * @param optimizer the optimizer's moments and step counts
 * @param callbacks each stateful callback's state, by its key
 */
public record Checkpoint(State state, WeightSnapshot weights, byte[] optimizer, Map<String, byte[]> callbacks) {
    /** 2: callback states as entries of their own (1 named four callbacks' fields in state.json). */
    public static final int FORMAT_VERSION = 2;
    private static final String CALLBACKS = "callbacks/";

    /**
     * @param formatVersion   layout version of the checkpoint
     * @param phase           index of the phase in the run's plan (0 = fit, 1 = fine-tune)
     * @param phaseEpochsDone epochs of that phase completed
     * @param phaseFinished   whether the phase is over (all its epochs, or stopped early)
     * @param epochsDone      epochs completed over the whole run
     * @param seed            the run's seed
     */
    public record State(int formatVersion, int phase, int phaseEpochsDone, boolean phaseFinished, int epochsDone,
            long seed) {}

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public void write(Path file) throws IOException {
        byte[] stateBytes = JSON.writeValueAsBytes(state);
        ByteArrayOutputStream weightBytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(weightBytes)) {
            weights.write(out);
        }
        AtomicFiles.write(file, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            put(zip, "state.json", stateBytes);
            put(zip, "weights.bin", weightBytes.toByteArray());
            put(zip, "optimizer.bin", optimizer);
            for (Map.Entry<String, byte[]> e : callbacks.entrySet()) {
                put(zip, CALLBACKS + e.getKey(), e.getValue());
            }
            zip.finish();
        });
    }

    public static Checkpoint read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no checkpoint here (the run saved no epoch yet?)");
        }
        Map<String, byte[]> entries = new HashMap<>();
        try (InputStream in = Files.newInputStream(file); ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                entries.put(e.getName(), zip.readAllBytes());
            }
        } catch (IOException e) {
            throw new IOException(file + ": unreadable checkpoint: " + e.getMessage(), e);
        }
        for (String name : List.of("state.json", "weights.bin", "optimizer.bin")) {
            if (!entries.containsKey(name)) {
                throw new IOException(file + ": damaged checkpoint, it lacks " + name);
            }
        }
        State state = JSON.readValue(entries.get("state.json"), State.class);
        if (state.formatVersion() > FORMAT_VERSION) {
            throw new IOException(file + ": written by a newer SmearScan (checkpoint format " + state.formatVersion() + ")");
        }
        if (state.formatVersion() < FORMAT_VERSION) {
            throw new IOException(file + ": checkpoint format " + state.formatVersion() + " of an older SmearScan, which"
                    + " this version cannot resume; its best weights are in " + file.resolveSibling("best-weights.bin")
                    + ", or start the run again");
        }
        WeightSnapshot weights;
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(entries.get("weights.bin")))) {
            weights = WeightSnapshot.read(in);
        }
        Map<String, byte[]> callbackStates = new LinkedHashMap<>();
        entries.forEach((name, bytes) -> {
            if (name.startsWith(CALLBACKS)) {
                callbackStates.put(name.substring(CALLBACKS.length()), bytes);
            }
        });
        return new Checkpoint(state, weights, entries.get("optimizer.bin"), callbackStates);
    }

    private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }
}
