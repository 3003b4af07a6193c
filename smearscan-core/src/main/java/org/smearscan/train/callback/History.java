package org.smearscan.train.callback;

import static org.smearscan.io.RunFolder.HISTORY_CSV;
import static org.smearscan.io.RunFolder.HISTORY_JSON;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.smearscan.io.AtomicFiles;
import org.smearscan.train.Callback;
import org.smearscan.train.EpochMetrics;
import org.smearscan.train.Learner;
import org.smearscan.train.Recorder;
import org.smearscan.train.Stateful;

/**
 * Records every epoch as an {@link EpochRecord} and rewrites {@code history.csv} and {@code history.json}
 * in the run folder after each one (atomically, so a killed run leaves complete files).
 */
public final class History implements Callback, Stateful {
    static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;
    private final List<EpochRecord> records = new ArrayList<>();
    private String phase = "fit";

    /** @param dir the run folder, or null to keep the history in memory only */
    public History(Path dir) {
        this.dir = dir;
    }

    @Override
    public int order() {
        return 40;
    }

    /** Labels the epochs that follow ({@code fit}, {@code fine-tune}). */
    public void setPhase(String name) {
        this.phase = name;
    }

    @Override
    public void afterEpoch(Learner learner) {
        Recorder rec = learner.recorder();
        EpochMetrics m = learner.lastMetrics();
        double[] lrs = learner.optimizer().learningRates();
        double trainSeconds = rec.trainSeconds();
        records.add(new EpochRecord(learner.epoch() + 1, phase, rec.epochTrainLoss(),
                m == null ? Double.NaN : m.validLoss(), m == null ? Double.NaN : m.accuracy(),
                m == null ? Double.NaN : m.errorRate(), m == null ? Double.NaN : m.auc(), lrs[lrs.length - 1],
                rec.epochSeconds(), trainSeconds > 0 ? rec.epochImages() / trainSeconds : Double.NaN));
        if (dir != null) {
            try {
                write(dir, records);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the history to " + dir, e);
            }
        }
    }

    public List<EpochRecord> records() {
        return List.copyOf(records);
    }

    @Override
    public String stateKey() {
        return "history";
    }

    @Override
    public byte[] saveState() {
        try {
            return MAPPER.writeValueAsBytes(records);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Puts back the epochs a checkpoint covered, when resuming. */
    @Override
    public void loadState(byte[] state) {
        try {
            List<EpochRecord> earlier = MAPPER.readValue(state, new TypeReference<List<EpochRecord>>() {});
            records.clear();
            records.addAll(earlier);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a history state: " + e.getMessage(), e);
        }
    }

    public static void write(Path dir, List<EpochRecord> records) throws IOException {
        StringBuilder csv = new StringBuilder(String.join(",", EpochRecord.COLUMNS)).append('\n');
        for (EpochRecord r : records) {
            csv.append(String.format(Locale.ROOT, "%d,%s,%s,%s,%s,%s,%s,%s,%.3f,%.2f%n", r.epoch(), r.phase(),
                    num(r.trainLoss()), num(r.validLoss()), num(r.accuracy()), num(r.errorRate()), num(r.auc()),
                    num(r.lr()), r.seconds(), r.imgPerS()));
        }
        AtomicFiles.writeString(dir.resolve(HISTORY_CSV), csv.toString());
        AtomicFiles.write(dir.resolve(HISTORY_JSON), MAPPER.writeValueAsBytes(records));
    }

    /** Reads {@code history.json}; a NaN (no validation) is written as the string "NaN" and read back as NaN. */
    public static List<EpochRecord> read(Path dir) throws IOException {
        Path file = dir.resolve(HISTORY_JSON);
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try {
            return MAPPER.readValue(file.toFile(), new TypeReference<List<EpochRecord>>() {});
        } catch (IOException e) {
            throw new IOException(file + ": not a readable history: " + e.getMessage(), e);
        }
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
    }
}
