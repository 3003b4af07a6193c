package org.smearscan.workflow;

import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.smearscan.data.CellImage;
import org.smearscan.data.ImageDecoding;
import org.smearscan.data.UnreadableImageException;
import org.smearscan.evaluate.ImageGrid;
import org.smearscan.io.AtomicFiles;
import org.smearscan.io.Csv;

/**
 * The cross-validation's out-of-fold predictions: each image scored by the one fold model that did not train on
 * it. They are written per fold ({@value #PREDICTIONS}) and, over the folds run, the images whose label that model
 * contradicts with confidence are listed in {@value #SUSPECTS}, most confident first, for a person to look at. In
 * the NIH set most such images are crops labelled Parasitized in which no parasite is stained.
 *
 * <p>The cut is confident learning's (Northcutt, Jiang and Chuang, 2021) per-class threshold: an image is a suspect
 * when its probability of another class reaches that class's mean self-confidence, the mean probability the images
 * labelled with it get for it. Nothing is removed: which labels to trust is the user's decision.
 */
public final class OutOfFold {
    /** A fold's out-of-fold predictions, in its run folder. */
    public static final String PREDICTIONS = "predictions.csv";
    /** The suspects over all folds run, in the cross-validation folder. */
    public static final String SUSPECTS = "suspects.csv";
    /** The most confident suspects as a picture, beside {@link #SUSPECTS}. */
    public static final String SUSPECTS_GRID = "suspects.png";
    /** How many suspects the picture shows; the CSV has them all. */
    static final int GRID_TILES = 48;

    private OutOfFold() {}

    /** One image's out-of-fold scores: its label and the probability of each class, by class index. */
    public record Row(String path, int label, String donor, int fold, double[] probabilities) {}

    /** An image whose label the out-of-fold model contradicts: the class it gives instead, and how surely. */
    public record Suspect(Row row, int suggested) {
        public double labelProbability() {
            return row.probabilities()[row.label()];
        }

        public double suggestedProbability() {
            return row.probabilities()[suggested];
        }
    }

    /** Writes a fold's predictions: {@code probabilities[c][i]} is image i's probability of class c. */
    public static void write(Path file, List<String> classes, List<CellImage> images, double[][] probabilities,
            int fold) throws IOException {
        StringBuilder b = new StringBuilder("path,label,donor,fold");
        for (String c : classes) {
            b.append(',').append(Csv.field("p_" + c));
        }
        b.append('\n');
        for (int i = 0; i < images.size(); i++) {
            CellImage image = images.get(i);
            b.append(Csv.field(image.path().toString())).append(',').append(Csv.field(classes.get(image.label())))
                    .append(',').append(Csv.field(image.donor())).append(',').append(fold);
            for (double[] p : probabilities) {
                b.append(',').append(String.format(Locale.ROOT, "%.6f", p[i]));
            }
            b.append('\n');
        }
        AtomicFiles.writeString(file, b.toString());
    }

    /** A predictions file: its classes (from the header's {@code p_} columns) and its rows. */
    public record Table(List<String> classes, List<Row> rows) {}

    /** Reads what {@link #write} wrote. */
    public static Table read(Path file) throws IOException {
        List<Row> rows = new ArrayList<>();
        List<String> classes = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            List<String> columns = header == null ? List.of() : Csv.parseLine(header);
            if (columns.size() < 6 || !columns.subList(0, 4).equals(List.of("path", "label", "donor", "fold"))
                    || !columns.subList(4, columns.size()).stream().allMatch(c -> c.startsWith("p_"))) {
                throw new IOException(file + ": not a predictions file (header " + header + ")");
            }
            columns.subList(4, columns.size()).forEach(c -> classes.add(c.substring(2)));
            String line;
            int number = 1;
            while ((line = in.readLine()) != null) {
                number++;
                List<String> f = Csv.parseLine(line);
                if (f.size() != columns.size() || !classes.contains(f.get(1))) {
                    throw new IOException(file + ", line " + number + ": expected " + columns.size()
                            + " fields with a label among " + classes + ", got " + line);
                }
                double[] p = new double[classes.size()];
                for (int c = 0; c < p.length; c++) {
                    p[c] = Double.parseDouble(f.get(4 + c));
                }
                rows.add(new Row(f.get(0), classes.indexOf(f.get(1)), f.get(2), Integer.parseInt(f.get(3)), p));
            }
        } catch (NumberFormatException e) {
            throw new IOException(file + ": a probability or fold is not a number: " + e.getMessage(), e);
        }
        return new Table(List.copyOf(classes), rows);
    }

    /** The images whose label confident learning's per-class threshold contradicts, most confident first. */
    public static List<Suspect> suspects(List<Row> rows, int classCount) {
        double[] selfConfidence = new double[classCount];
        int[] count = new int[classCount];
        for (Row r : rows) {
            selfConfidence[r.label()] += r.probabilities()[r.label()];
            count[r.label()]++;
        }
        for (int c = 0; c < classCount; c++) {
            // a class without images can suggest nothing
            selfConfidence[c] = count[c] == 0 ? Double.POSITIVE_INFINITY : selfConfidence[c] / count[c];
        }
        List<Suspect> suspects = new ArrayList<>();
        for (Row r : rows) {
            int best = -1;
            for (int c = 0; c < classCount; c++) {
                if (c != r.label() && r.probabilities()[c] >= selfConfidence[c]
                        && (best < 0 || r.probabilities()[c] > r.probabilities()[best])) {
                    best = c;
                }
            }
            if (best >= 0) {
                suspects.add(new Suspect(r, best));
            }
        }
        suspects.sort(Comparator.comparingDouble(Suspect::suggestedProbability).reversed()
                .thenComparing(s -> s.row().path()));
        return suspects;
    }

    /** Writes the suspects, most confident first. */
    public static void writeSuspects(Path file, List<String> classes, List<Suspect> suspects) throws IOException {
        StringBuilder b = new StringBuilder("path,label,suggested,p_label,p_suggested,donor,fold\n");
        for (Suspect s : suspects) {
            Row r = s.row();
            b.append(Csv.field(r.path())).append(',').append(Csv.field(classes.get(r.label()))).append(',')
                    .append(Csv.field(classes.get(s.suggested()))).append(',')
                    .append(String.format(Locale.ROOT, "%.6f,%.6f", s.labelProbability(), s.suggestedProbability()))
                    .append(',').append(Csv.field(r.donor())).append(',').append(r.fold()).append('\n');
        }
        AtomicFiles.writeString(file, b.toString());
    }

    /**
     * Draws the most confident suspects with their label, the class the model gives instead and its probability,
     * so that a person can judge them at a glance; nothing is written when there is no suspect.
     */
    public static void writeGrid(Path file, List<String> classes, List<Suspect> suspects) throws IOException {
        List<ImageGrid.Tile> tiles = new ArrayList<>();
        for (Suspect s : suspects.subList(0, Math.min(GRID_TILES, suspects.size()))) {
            Row r = s.row();
            BufferedImage image;
            try {
                image = ImageDecoding.read(Path.of(r.path()));
            } catch (UnreadableImageException e) {
                continue; // the CSV still lists it
            }
            tiles.add(new ImageGrid.Tile(image, List.of(
                    "label " + classes.get(r.label()) + String.format(Locale.ROOT, " (%.3f)", s.labelProbability()),
                    "model " + classes.get(s.suggested()) + String.format(Locale.ROOT, " (%.3f)", s.suggestedProbability()),
                    r.donor() + ", fold " + r.fold(), Path.of(r.path()).getFileName().toString())));
        }
        if (!tiles.isEmpty()) {
            AtomicFiles.write(file, ImageGrid.png(ImageGrid.render(tiles, 8, ImageGrid.DEFAULT_TILE)));
        }
    }
}
