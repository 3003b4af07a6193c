package org.smearscan.evaluate;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.smearscan.data.CellDataset;
import org.smearscan.data.CellImage;
import org.smearscan.data.ProgressReporter;
import org.smearscan.data.SplitFile;

/**
 * Which images of a data set a model was trained on. Two rules, each enough to count an image as a
 * training image:
 * <ol>
 *   <li><b>name</b>: the same class and file name as an image on the train side of the split file, in
 *       whatever folder layout (NIH file names identify a cell);</li>
 *   <li><b>content</b>: the same bytes (SHA-256) as a training image, when the training images can still be
 *       read at the root the split file records; this catches renamed copies.</li>
 * </ol>
 * Donors the two share are reported too: not a leak of images, but cells of one smear look alike, so
 * such a score is not one on unseen patients.
 *
 * @param sameName       images of the data set matching a training image by class and file name
 * @param sameContent    images matching a training image byte for byte (empty when not checked)
 * @param sharedDonors   donors with images on the train side and in the data set
 * @param contentChecked whether the content rule ran
 * @param note           why the content rule did not run, or empty
 */
public record TrainingOverlap(List<CellImage> sameName, List<CellImage> sameContent, Set<String> sharedDonors,
        boolean contentChecked, String note) {

    public static final String RULE = "an image counts as a training image when its class and file name match an"
            + " image on the train side of the split file, or its bytes (SHA-256) match one (when the training"
            + " images are readable at the root the split file records)";

    public boolean any() {
        return !sameName.isEmpty() || !sameContent.isEmpty();
    }

    /** Every overlapping image once. */
    public Set<Path> overlappingFiles() {
        Set<Path> files = new TreeSet<>();
        sameName.forEach(i -> files.add(i.path()));
        sameContent.forEach(i -> files.add(i.path()));
        return files;
    }

    public static TrainingOverlap check(SplitFile split, Path splitFilePath, CellDataset data, boolean showProgress)
            throws IOException {
        Set<String> trainKeys = new HashSet<>();
        Set<String> trainDonors = new HashSet<>();
        List<SplitFile.Entry> trainEntries = new ArrayList<>();
        for (SplitFile.Entry e : split.entries()) {
            if (e.side().equals(SplitFile.TRAIN)) {
                trainKeys.add(key(e.className(), e.path()));
                trainDonors.add(e.donor());
                trainEntries.add(e);
            }
        }
        List<CellImage> sameName = new ArrayList<>();
        Set<String> shared = new TreeSet<>();
        for (CellImage image : data.images()) {
            if (trainKeys.contains(key(data.classes().get(image.label()), image.path().getFileName().toString()))) {
                sameName.add(image);
            }
            if (trainDonors.contains(image.donor())) {
                shared.add(image.donor());
            }
        }
        Optional<Path> trainingRoot = recordedRoot(splitFilePath);
        if (trainingRoot.isEmpty() || !Files.isDirectory(trainingRoot.get())) {
            String note = "content not compared: the training images are not readable at "
                    + trainingRoot.map(Path::toString).orElse("(no root recorded in " + splitFilePath + ")");
            return new TrainingOverlap(List.copyOf(sameName), List.of(), shared, false, note);
        }
        Set<String> trainHashes = new HashSet<>();
        try (ProgressReporter progress = showProgress
                ? ProgressReporter.start("Comparing with the training images", trainEntries.size() + data.images().size(),
                        "files", 1)
                : ProgressReporter.silent()) {
            for (SplitFile.Entry e : trainEntries) {
                Path file = trainingRoot.get().resolve(e.path());
                if (Files.isRegularFile(file)) {
                    trainHashes.add(sha256(file));
                }
                progress.step(1);
            }
            List<CellImage> sameContent = new ArrayList<>();
            for (CellImage image : data.images()) {
                if (trainHashes.contains(sha256(image.path()))) {
                    sameContent.add(image);
                }
                progress.step(1);
            }
            return new TrainingOverlap(List.copyOf(sameName), List.copyOf(sameContent), shared, true, "");
        }
    }

    /** A cell's identity across layouts: its class and its file name. */
    private static String key(String className, String relativePath) {
        int slash = relativePath.lastIndexOf('/');
        return className + "/" + (slash < 0 ? relativePath : relativePath.substring(slash + 1));
    }

    /** The data root written in the split file's header ({@code # root<TAB>...}), if any. */
    static Optional<Path> recordedRoot(Path splitFile) throws IOException {
        for (String line : Files.readAllLines(splitFile, StandardCharsets.UTF_8)) {
            if (line.startsWith("# root\t")) {
                String root = line.substring("# root\t".length()).trim();
                return root.isEmpty() ? Optional.empty() : Optional.of(Path.of(root));
            }
            if (!line.startsWith("#")) {
                break;
            }
        }
        return Optional.empty();
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
