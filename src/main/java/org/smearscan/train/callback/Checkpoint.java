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
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.smearscan.io.AtomicFiles;
import org.smearscan.train.WeightSnapshot;

/**
 * Everything needed to continue a run after its last completed epoch: weights, optimizer state, where in
 * which phase the schedule stands, the callbacks' state and the history so far. One zip file, replaced
 * atomically after every epoch, so a run killed at any moment leaves the previous complete checkpoint.
 *
 * @param state     positions and callback state
 * @param weights   every parameter, BatchNorm statistics included
 * @param optimizer the optimizer's moments and step counts
 * @param batchLog  the recorder's per-batch log (loss, smoothed loss, lr, momentum) for the plots
 */
public record Checkpoint(State state, WeightSnapshot weights, byte[] optimizer, float[][] batchLog) {
    public static final int FORMAT_VERSION = 1;

    /**
     * @param formatVersion   layout version of the checkpoint
     * @param phase           index of the phase in the run's plan (0 = fit, 1 = fine-tune)
     * @param phaseEpochsDone epochs of that phase completed
     * @param phaseFinished   whether the phase is over (all its epochs, or stopped early)
     * @param epochsDone      epochs completed over the whole run
     * @param seed            the run's seed
     * @param trackerBest     best monitored value so far (NaN before any)
     * @param trackerBestEpoch 0-based run-wide epoch of the best value
     * @param earlyStoppingWait epochs since the last improvement
     * @param history         every epoch so far
     */
    public record State(int formatVersion, int phase, int phaseEpochsDone, boolean phaseFinished, int epochsDone,
            long seed, double trackerBest, int trackerBestEpoch, int earlyStoppingWait, List<EpochRecord> history) {}

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
        ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(logBytes)) {
            out.writeInt(batchLog.length);
            for (float[] series : batchLog) {
                out.writeInt(series.length);
                for (float v : series) {
                    out.writeFloat(v);
                }
            }
        }
        AtomicFiles.write(file, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            put(zip, "state.json", stateBytes);
            put(zip, "weights.bin", weightBytes.toByteArray());
            put(zip, "optimizer.bin", optimizer);
            put(zip, "batches.bin", logBytes.toByteArray());
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
        for (String name : List.of("state.json", "weights.bin", "optimizer.bin", "batches.bin")) {
            if (!entries.containsKey(name)) {
                throw new IOException(file + ": damaged checkpoint, it lacks " + name);
            }
        }
        State state = JSON.readValue(entries.get("state.json"), State.class);
        if (state.formatVersion() > FORMAT_VERSION) {
            throw new IOException(file + ": written by a newer SmearScan (checkpoint format " + state.formatVersion() + ")");
        }
        WeightSnapshot weights;
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(entries.get("weights.bin")))) {
            weights = WeightSnapshot.read(in);
        }
        float[][] log;
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(entries.get("batches.bin")))) {
            log = new float[in.readInt()][];
            for (int i = 0; i < log.length; i++) {
                log[i] = new float[in.readInt()];
                for (int k = 0; k < log[i].length; k++) {
                    log[i][k] = in.readFloat();
                }
            }
        }
        return new Checkpoint(state, weights, entries.get("optimizer.bin"), log);
    }

    private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }
}
