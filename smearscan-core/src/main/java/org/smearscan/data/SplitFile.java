package org.smearscan.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.smearscan.io.AtomicFiles;

/**
 * A split written down, so a run can be repeated exactly and an evaluation can leave out every image a
 * model was trained on. A small TSV:
 * <pre>
 * # smearscan split v1
 * # description	donor valid_pct=0.2 seed=42
 * # dataset	&lt;fingerprint of the data set&gt;
 * # root	/where/the/data/was
 * # classes	Parasitized	Uninfected
 * path	class	donor	side
 * Parasitized/C100P61ThinF_IMG_20150918_144104_cell_162.png	Parasitized	P61	train
 * </pre>
 * Paths are relative to the data set's root, with '/' separators; side is {@code train} or {@code valid}.
 * Its identity for provenance is {@link #fingerprint(Path)}, the SHA-256 of the file.
 *
 * @param description        how the split was made ({@link Split#description()})
 * @param datasetFingerprint {@link CellDataset#fingerprint()} of the data set it was made from
 * @param classes            the data set's classes
 * @param entries            one per image, sorted by path
 */
public record SplitFile(String description, String datasetFingerprint, List<String> classes, List<Entry> entries) {
    static final String FIRST_LINE = "# smearscan split v1";
    static final String COLUMNS = "path\tclass\tdonor\tside";
    public static final String TRAIN = "train";
    public static final String VALID = "valid";

    /** One image of the split. */
    public record Entry(String path, String className, String donor, String side) {}

    public SplitFile {
        classes = List.copyOf(classes);
        entries = List.copyOf(entries);
    }

    /**
     * Writes {@code split} of {@code dataset} to {@code file} atomically.
     *
     * @return the file's SHA-256, for provenance
     */
    public static String write(Path file, Split split, CellDataset dataset) throws IOException {
        List<Entry> entries = new ArrayList<>();
        addEntries(entries, split.train(), TRAIN, dataset);
        addEntries(entries, split.valid(), VALID, dataset);
        entries.sort(Comparator.comparing(Entry::path));
        StringBuilder out = new StringBuilder();
        out.append(FIRST_LINE).append('\n');
        out.append("# description\t").append(oneLine(split.description())).append('\n');
        out.append("# dataset\t").append(dataset.fingerprint()).append('\n');
        out.append("# root\t").append(oneLine(dataset.root().toString())).append('\n');
        out.append("# classes\t").append(String.join("\t", dataset.classes())).append('\n');
        out.append(COLUMNS).append('\n');
        for (Entry e : entries) {
            out.append(e.path()).append('\t').append(e.className()).append('\t').append(e.donor()).append('\t')
                    .append(e.side()).append('\n');
        }
        byte[] bytes = out.toString().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, bytes);
        return sha256(bytes);
    }

    private static void addEntries(List<Entry> entries, List<CellImage> images, String side, CellDataset dataset) {
        for (CellImage image : images) {
            if (!image.path().startsWith(dataset.root())) {
                throw new IllegalArgumentException(image.path() + " is not inside the data set at " + dataset.root());
            }
            String path = dataset.relativePath(image);
            if (path.contains("\t") || path.contains("\n")) {
                throw new IllegalArgumentException("cannot write a split file: the file name " + path
                        + " contains a tab or line break");
            }
            entries.add(new Entry(path, dataset.classes().get(image.label()), image.donor(), side));
        }
    }

    /** Reads a split file; errors name the file and line. */
    public static SplitFile read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).equals(FIRST_LINE)) {
            throw new IOException(file + " is not a SmearScan split file (its first line should be '" + FIRST_LINE + "')");
        }
        String description = "";
        String fingerprint = "";
        List<String> classes = List.of();
        List<Entry> entries = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        boolean columns = false;
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isEmpty()) {
                continue;
            }
            String[] cols = line.split("\t", -1);
            if (!columns && line.startsWith("# ")) {
                switch (cols[0]) {
                    case "# description" -> description = cols.length > 1 ? cols[1] : "";
                    case "# dataset" -> fingerprint = cols.length > 1 ? cols[1] : "";
                    case "# classes" -> classes = List.of(cols).subList(1, cols.length);
                    default -> { } // other comments (root) are for people
                }
            } else if (!columns) {
                if (!line.equals(COLUMNS)) {
                    throw new IOException(file + " line " + (i + 1) + ": expected the column line '"
                            + COLUMNS.replace("\t", "<tab>") + "'");
                }
                columns = true;
            } else {
                if (cols.length != 4) {
                    throw new IOException(file + " line " + (i + 1) + ": expected 4 tab-separated columns, found "
                            + cols.length);
                }
                if (!cols[3].equals(TRAIN) && !cols[3].equals(VALID)) {
                    throw new IOException(file + " line " + (i + 1) + ": side must be 'train' or 'valid', not '"
                            + cols[3] + "'");
                }
                if (!classes.contains(cols[1])) {
                    throw new IOException(file + " line " + (i + 1) + ": class '" + cols[1]
                            + "' is not among the file's classes " + classes);
                }
                if (!seen.add(cols[0])) {
                    throw new IOException(file + " line " + (i + 1) + ": " + cols[0] + " is listed twice");
                }
                entries.add(new Entry(cols[0], cols[1], cols[2], cols[3]));
            }
        }
        if (!columns) {
            throw new IOException(file + " has no column line; it is incomplete");
        }
        return new SplitFile(description, fingerprint, classes, entries);
    }

    /**
     * The split, as images of {@code dataset}.
     *
     * @throws IOException naming the images the data set lacks, or a class that differs
     */
    public Split resolve(CellDataset dataset) throws IOException {
        if (!dataset.classes().equals(classes)) {
            throw new IOException("the split file's classes " + classes + " differ from the data set's "
                    + dataset.classes() + " at " + dataset.root());
        }
        Map<String, CellImage> byPath = new HashMap<>();
        for (CellImage image : dataset.images()) {
            byPath.put(dataset.relativePath(image), image);
        }
        List<CellImage> train = new ArrayList<>();
        List<CellImage> valid = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Entry e : entries) {
            CellImage image = byPath.get(e.path());
            if (image == null) {
                missing.add(e.path());
                continue;
            }
            if (!dataset.classes().get(image.label()).equals(e.className())) {
                throw new IOException(e.path() + " is " + dataset.classes().get(image.label())
                        + " in the data set but " + e.className() + " in the split file");
            }
            (e.side().equals(TRAIN) ? train : valid).add(image);
        }
        if (!missing.isEmpty()) {
            throw new IOException(missing.size() + " images of the split file are not in the data set at "
                    + dataset.root() + ", e.g. " + missing.get(0));
        }
        return new Split(train, valid, description);
    }

    /**
     * Whether the data set is the one the split was made from: the same images by path, label and size. A split
     * file written before the fingerprint left modification times out holds the {@link CellDataset#fileStamp()}.
     */
    public boolean matches(CellDataset dataset) {
        return datasetFingerprint.equals(dataset.fingerprint()) || datasetFingerprint.equals(dataset.fileStamp());
    }

    /** Relative paths on one side ({@link #TRAIN} or {@link #VALID}), e.g. to leave training images out of a test. */
    public Set<String> paths(String side) {
        Set<String> paths = new LinkedHashSet<>();
        for (Entry e : entries) {
            if (e.side().equals(side)) {
                paths.add(e.path());
            }
        }
        return paths;
    }

    /** SHA-256 of a split file's bytes: its identity in a model's provenance. */
    public static String fingerprint(Path file) throws IOException {
        return sha256(Files.readAllBytes(file));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    private static String oneLine(String s) {
        return s.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
    }
}
