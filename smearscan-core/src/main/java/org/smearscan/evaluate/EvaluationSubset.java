package org.smearscan.evaluate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.smearscan.data.CellDataset;
import org.smearscan.data.CellImage;
import org.smearscan.data.SplitFile;
import org.smearscan.io.RunFolder;
import org.smearscan.modelfile.ModelInfo;

/**
 * The images an evaluation scores, with labels renumbered to the model's classes (matched by name, so a
 * folder holding only some of the classes works).
 *
 * @param images      the images
 * @param description which images these are, in words
 */
public record EvaluationSubset(List<CellImage> images, String description) {
    private static final String SPLIT_FIRST_LINE = "# smearscan split v1";

    public EvaluationSubset {
        images = List.copyOf(images);
    }

    /** The validation side of the split the model was trained with. */
    public static EvaluationSubset validation(CellDataset data, Path splitFile, ModelInfo info) throws IOException {
        SplitFile split = SplitFile.read(splitFile);
        requireSameClasses(split.classes(), info, splitFile.toString());
        Map<String, CellImage> byPath = new HashMap<>();
        for (CellImage image : data.images()) {
            byPath.put(data.relativePath(image), image);
        }
        List<CellImage> images = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (SplitFile.Entry e : split.entries()) {
            if (!e.side().equals(SplitFile.VALID)) {
                continue;
            }
            CellImage image = byPath.get(e.path());
            if (image == null) {
                missing.add(e.path());
                continue;
            }
            String dataClass = data.classes().get(image.label());
            if (!dataClass.equals(e.className())) {
                throw new IOException(e.path() + " is " + dataClass + " in " + data.root() + " but " + e.className()
                        + " in " + splitFile);
            }
            images.add(image);
        }
        if (!missing.isEmpty()) {
            throw new IOException(missing.size() + " validation images of " + splitFile + " are not in "
                    + data.root() + " (e.g. " + missing.get(0) + "); is this the data set the model was trained on?");
        }
        if (images.isEmpty()) {
            throw new IOException(splitFile + " has no validation images");
        }
        String note = split.matches(data) ? "" : " (the data set changed since the split was made: its fingerprint differs)";
        return new EvaluationSubset(relabel(images, data, info),
                "validation side of " + splitFile + " (" + split.description() + ")" + note);
    }

    /**
     * Every image of the data set, refused when any of them is a training image of the model (see
     * {@link TrainingOverlap#RULE}). Without a split file the check cannot run and the images are scored
     * with a warning.
     */
    public static EvaluationSubset all(CellDataset data, Path splitFile, ModelInfo info, boolean showProgress,
            Consumer<String> warn) throws IOException {
        if (data.images().isEmpty()) {
            throw new IOException(data.root() + " holds no images");
        }
        String description = "all images of " + data.root();
        if (splitFile == null) {
            warn.accept("no split file for this model: cannot check that " + data.root()
                    + " holds none of its training images");
            return new EvaluationSubset(relabel(data.images(), data, info), description + " (not checked against"
                    + " the training images: no split file)");
        }
        SplitFile split = SplitFile.read(splitFile);
        TrainingOverlap overlap = TrainingOverlap.check(split, splitFile, data, showProgress);
        if (overlap.any()) {
            List<Path> files = new ArrayList<>(overlap.overlappingFiles());
            throw new IOException(files.size() + " images of " + data.root() + " are training images of this model ("
                    + overlap.sameName().size() + " by class and file name, " + overlap.sameContent().size()
                    + " by content), e.g. " + files.get(0) + "; --all scores only images the model never saw."
                    + " Rule: " + TrainingOverlap.RULE);
        }
        if (!overlap.contentChecked()) {
            warn.accept(overlap.note());
        }
        if (!overlap.sharedDonors().isEmpty()) {
            warn.accept(overlap.sharedDonors().size() + " donors of " + data.root()
                    + " also gave training images (e.g. " + overlap.sharedDonors().iterator().next()
                    + "): the score is not one on unseen patients");
        }
        return new EvaluationSubset(relabel(data.images(), data, info), description
                + " (none of them a training image by the split file " + splitFile + ")");
    }

    /**
     * The split file of a model: {@code split.tsv} beside it, else the only SmearScan split file there.
     * Empty when there is none.
     */
    public static java.util.Optional<Path> besideModel(Path modelFile) throws IOException {
        Path dir = modelFile.toAbsolutePath().getParent();
        Path standard = dir.resolve(RunFolder.SPLIT);
        if (Files.isRegularFile(standard)) {
            return java.util.Optional.of(standard);
        }
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*.tsv")) {
            for (Path p : entries) {
                if (Files.isRegularFile(p) && isSplitFile(p)) {
                    found.add(p);
                }
            }
        }
        if (found.size() > 1) {
            throw new IOException("several split files beside " + modelFile + " (" + found
                    + "); choose one with --split-file");
        }
        return found.stream().findFirst();
    }

    /**
     * Refuses a split file that is not the one the model was trained with, when the model's provenance
     * records the split's SHA-256 (any provenance entry whose key mentions "split" and whose value is a hash).
     */
    public static void requireProvenanceMatch(Path splitFile, ModelInfo info) throws IOException {
        String actual = SplitFile.fingerprint(splitFile);
        List<String> recorded = new ArrayList<>();
        info.provenance().asMap().forEach((key, value) -> {
            if (key.toLowerCase(Locale.ROOT).contains("split") && value != null
                    && value.trim().matches("(?i)(sha256:)?[0-9a-f]{64}")) {
                recorded.add(value.trim().toLowerCase(Locale.ROOT).replace("sha256:", ""));
            }
        });
        if (!recorded.isEmpty() && !recorded.contains(actual)) {
            throw new IOException(splitFile + " is not the split this model was trained with: its SHA-256 is "
                    + actual + ", the model records " + recorded.get(0));
        }
    }

    private static boolean isSplitFile(Path p) throws IOException {
        try (var reader = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
            return SPLIT_FIRST_LINE.equals(reader.readLine());
        } catch (java.nio.charset.MalformedInputException e) {
            return false;
        }
    }

    private static void requireSameClasses(List<String> classes, ModelInfo info, String where) throws IOException {
        if (!classes.equals(info.classes())) {
            throw new IOException(where + " has classes " + classes + " but the model predicts " + info.classes());
        }
    }

    /** Labels as indices into the model's classes, matched by the class folder's name. */
    private static List<CellImage> relabel(List<CellImage> images, CellDataset data, ModelInfo info)
            throws IOException {
        int[] toModel = new int[data.classes().size()];
        for (int c = 0; c < toModel.length; c++) {
            toModel[c] = info.classes().indexOf(data.classes().get(c));
        }
        List<CellImage> out = new ArrayList<>(images.size());
        for (CellImage image : images) {
            int label = toModel[image.label()];
            if (label < 0) {
                throw new IOException(data.root() + " has a class folder '" + data.classes().get(image.label())
                        + "' that the model does not know; its classes are " + info.classes());
            }
            out.add(new CellImage(image.path(), label, image.donor()));
        }
        return out;
    }
}
