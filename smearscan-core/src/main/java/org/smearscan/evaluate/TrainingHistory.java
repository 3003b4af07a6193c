package org.smearscan.evaluate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.smearscan.io.RunFolder;

/**
 * A training run's per-epoch log, {@code history.csv} (epoch, train_loss, valid_loss, accuracy, ..., lr), as
 * columns of numbers read by header name so a new column breaks nothing. The per-batch curves are not
 * logged: training draws them into its run folder as {@code loss.png} and {@code schedule.png}.
 *
 * @param epochs per-epoch columns by name (empty when the run has no history)
 */
public record TrainingHistory(Map<String, double[]> epochs) {
    public static final TrainingHistory EMPTY = new TrainingHistory(Map.of());

    public TrainingHistory {
        epochs = Map.copyOf(epochs);
    }

    /** The log in a run folder; a missing file gives an empty table, a malformed one an error naming it. */
    public static TrainingHistory read(Path runFolder) throws IOException {
        Map<String, double[]> epochs = Map.of();
        Path epochFile = runFolder.resolve(RunFolder.HISTORY_CSV);
        if (Files.isRegularFile(epochFile)) {
            epochs = readCsv(epochFile);
        }
        return new TrainingHistory(epochs);
    }

    public boolean hasEpochs() {
        return !epochs.isEmpty();
    }

    /** A per-epoch column, or null. */
    public double[] epochColumn(String name) {
        return epochs.get(name);
    }

    /**
     * A comma-separated table with a header line; every other cell a number (empty, "nan" or "-" read as
     * NaN). Columns that hold text in any row are left out rather than failing the whole report.
     */
    static Map<String, double[]> readCsv(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            throw new IOException(file + " is empty; expected a header line");
        }
        String[] header = lines.get(0).trim().split(",", -1);
        List<double[]> rows = new ArrayList<>();
        boolean[] text = new boolean[header.length];
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] cells = line.split(",", -1);
            if (cells.length != header.length) {
                throw new IOException(file + " line " + (i + 1) + ": " + cells.length + " values for "
                        + header.length + " columns");
            }
            double[] row = new double[header.length];
            for (int c = 0; c < cells.length; c++) {
                row[c] = parse(cells[c].trim());
                if (Double.isNaN(row[c]) && !isMissing(cells[c].trim())) {
                    text[c] = true;
                }
            }
            rows.add(row);
        }
        Map<String, double[]> columns = new LinkedHashMap<>();
        for (int c = 0; c < header.length; c++) {
            if (text[c]) {
                continue;
            }
            double[] column = new double[rows.size()];
            for (int r = 0; r < rows.size(); r++) {
                column[r] = rows.get(r)[c];
            }
            columns.put(header[c].trim().toLowerCase(Locale.ROOT), column);
        }
        return columns;
    }

    private static boolean isMissing(String cell) {
        return cell.isEmpty() || cell.equalsIgnoreCase("nan") || cell.equals("-");
    }

    private static double parse(String cell) {
        if (isMissing(cell)) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(cell);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
