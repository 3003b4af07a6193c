package org.smearscan.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.smearscan.io.FolderLoopException;

/**
 * Labelled cell images found in a class-per-folder layout: each sub-folder is a class, its name the label.
 *
 * <p>Three layouts are recognised:
 * <ul>
 *   <li>NIH: {@code root/Parasitized}, {@code root/Uninfected};</li>
 *   <li>Kaggle: the same plus a nested copy {@code root/cell_images/{Parasitized,Uninfected}}, which is
 *       ignored (it would count every image twice); a root holding only one folder that holds folders
 *       (e.g. the folder {@code cell_images.zip} was extracted into) is descended into;</li>
 *   <li>pre-split: {@code root/train/<class>}, {@code root/valid/<class>} (also {@code val}, {@code validation})
 *       and optionally {@code root/test/<class>}; each image remembers its folder for {@link Split#folders}.</li>
 * </ul>
 * Classes are the sorted folder names, so NIH's Parasitized is 0 and Uninfected 1. Files that are not images
 * (Thumbs.db, notes, hidden files) are skipped and listed with the reason. Images are not decoded here: that
 * is slow, and the {@link ImageCache} finds truncated files when it decodes them once.
 *
 * <p>Symbolic links are followed, to files and to folders, as torchvision's ImageFolder and fastai do. An
 * image keeps the path it was found at, so its file name (hence its donor) and folder (hence its class) are
 * the link's, not its target's. A link whose target is missing is skipped as unreadable, with its name; a
 * folder link back to a folder that contains it is refused with a {@link FolderLoopException} naming it.
 */
public final class CellDataset {
    /** File extensions that {@link ImageDecoding} can read. */
    static final Set<String> IMAGE_EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");

    /** Canonical names of the folders of a pre-split layout, keyed by the lower-case names accepted. */
    private static final Map<String, String> SPLIT_FOLDERS =
            Map.of("train", "train", "valid", "valid", "val", "valid", "validation", "valid", "test", "test");

    /** Why a symbolic link whose target is missing is skipped. */
    static final String BROKEN_LINK = "cannot be read: broken symbolic link";

    /** A file that is not part of the data set, and why. */
    public record Skipped(Path file, String reason) {}

    private final Path root;
    private final List<String> classes;
    private final List<CellImage> images;
    private final List<Skipped> skipped;
    private final List<String> notes;
    private final Map<Path, String> folderOfImage;
    private final String fingerprint;
    private final String fileStamp;

    private CellDataset(Path root, List<String> classes, List<CellImage> images, List<Skipped> skipped,
            List<String> notes, Map<Path, String> folderOfImage, String fingerprint, String fileStamp) {
        this.root = root;
        this.classes = List.copyOf(classes);
        this.images = List.copyOf(images);
        this.skipped = List.copyOf(skipped);
        this.notes = List.copyOf(notes);
        this.folderOfImage = Map.copyOf(folderOfImage);
        this.fingerprint = fingerprint;
        this.fileStamp = fileStamp;
    }

    /**
     * Lists the images under {@code root}. Reads only directory entries and file attributes.
     *
     * @throws IOException when the folder is missing, unreadable, or holds no class folders
     * @throws FolderLoopException when a folder link leads back to a folder that contains it
     */
    public static CellDataset scan(Path root) throws IOException {
        Path given = root.toAbsolutePath().normalize();
        if (!Files.exists(given)) {
            throw new NoSuchFileException(given.toString(), null, "the data folder does not exist");
        }
        if (!Files.isDirectory(given)) {
            throw new NotDirectoryException(given + " is not a folder of class folders");
        }
        return new Scanner(given).scan();
    }

    /** The folder the classes were found in (below the given root when it was descended into). */
    public Path root() {
        return root;
    }

    /** Class names, sorted; a {@link CellImage#label()} is an index into this list. */
    public List<String> classes() {
        return classes;
    }

    /** Every image, sorted by path relative to {@link #root()}. */
    public List<CellImage> images() {
        return images;
    }

    /** Files that were found but are not images of the data set. */
    public List<Skipped> skipped() {
        return skipped;
    }

    /** Skipped files counted by reason, in order of first appearance. */
    public Map<String, Integer> skippedByReason() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Skipped s : skipped) {
            counts.merge(s.reason(), 1, Integer::sum);
        }
        return counts;
    }

    /** What the scan decided about the layout (e.g. a nested duplicate it ignored), for the user to read. */
    public List<String> notes() {
        return notes;
    }

    /** The distinct donors, sorted. */
    public Set<String> donors() {
        Set<String> donors = new TreeSet<>();
        for (CellImage image : images) {
            donors.add(image.donor());
        }
        return Collections.unmodifiableSet(donors);
    }

    /** Images whose file name carries no NIH donor id (each is counted as its own donor). */
    public int imagesWithoutDonorId() {
        int n = 0;
        for (CellImage image : images) {
            if (!Donor.isKnown(image.path())) {
                n++;
            }
        }
        return n;
    }

    /** Number of images per class, indexed like {@link #classes()}. */
    public int[] countsPerClass() {
        int[] counts = new int[classes.size()];
        for (CellImage image : images) {
            counts[image.label()]++;
        }
        return counts;
    }

    /** Whether the images came from train/valid(/test) folders. */
    public boolean isPreSplit() {
        return !folderOfImage.isEmpty();
    }

    /** The split folder an image came from: {@code train}, {@code valid} or {@code test}; empty in other layouts. */
    public Optional<String> folderOf(CellImage image) {
        return Optional.ofNullable(folderOfImage.get(image.path()));
    }

    /** The image's path relative to {@link #root()}, with '/' separators (portable, for split files). */
    public String relativePath(CellImage image) {
        return relative(root, image.path());
    }

    /**
     * A stable identity of the data set: SHA-256 over the classes and every image's relative path, label and
     * size. Cheap (no pixel is read); it changes when a file is added, removed, relabelled or rewritten to
     * another size, and survives a copy that gives the files new modification times (a data folder restored
     * for a new session, or copied to another machine), so that a split made on one copy still serves the
     * other and a stopped run can be resumed there.
     */
    public String fingerprint() {
        return fingerprint;
    }

    /**
     * The fingerprint with every image's modification time as well: the key of cached pixels, which must be
     * read again when a file is rewritten in place, even at the same size. Split files written before
     * 2026-11-30 recorded this value as their data set's fingerprint; {@link SplitFile#matches} accepts both.
     */
    public String fileStamp() {
        return fileStamp;
    }

    static String relative(Path root, Path file) {
        return root.relativize(file).toString().replace('\\', '/');
    }

    static boolean isImageFileName(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 && IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private static boolean isHidden(Path p) {
        return p.getFileName().toString().startsWith(".");
    }

    /** One scan's working state. */
    private static final class Scanner {
        private final Path given;
        private final List<Skipped> skipped = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();
        /** Relative path to the file's label and size, sorted: the fingerprint's input. */
        private final TreeMap<String, String> identity = new TreeMap<>();
        /** Relative path to the file's modification time, for the file stamp. */
        private final Map<String, Long> modified = new HashMap<>();

        Scanner(Path given) {
            this.given = given;
        }

        CellDataset scan() throws IOException {
            Path base = descend(given);
            List<Path> folders = subfolders(base);
            Map<String, Path> splitFolders = new TreeMap<>();
            for (Path f : folders) {
                String canonical = SPLIT_FOLDERS.get(f.getFileName().toString().toLowerCase(Locale.ROOT));
                if (canonical != null) {
                    if (splitFolders.containsKey(canonical)) {
                        throw new IOException(base + " has two folders for the '" + canonical + "' side: "
                                + splitFolders.get(canonical).getFileName() + " and " + f.getFileName());
                    }
                    splitFolders.put(canonical, f);
                }
            }
            skipLooseFiles(base);
            if (!splitFolders.isEmpty()) {
                return scanPreSplit(base, folders, splitFolders);
            }
            List<Path> classFolders = withoutNestedDuplicates(folders);
            if (classFolders.isEmpty()) {
                throw new IOException(base + " holds no class folders (expected e.g. Parasitized/ and Uninfected/)");
            }
            List<String> classes = classFolders.stream().map(p -> p.getFileName().toString()).sorted().toList();
            List<CellImage> images = new ArrayList<>();
            for (Path folder : classFolders) {
                int label = classes.indexOf(folder.getFileName().toString());
                collect(base, folder, label, images);
            }
            return finish(base, classes, images, Map.of());
        }

        private CellDataset scanPreSplit(Path base, List<Path> folders, Map<String, Path> splitFolders)
                throws IOException {
            for (Path f : folders) {
                if (!splitFolders.containsValue(f)) {
                    notes.add("ignored " + relative(base, f) + "/: a pre-split layout uses only train/, valid/ and test/");
                }
            }
            TreeSet<String> classNames = new TreeSet<>();
            for (Path side : splitFolders.values()) {
                skipLooseFiles(side);
                for (Path c : subfolders(side)) {
                    classNames.add(c.getFileName().toString());
                }
            }
            if (classNames.isEmpty()) {
                throw new IOException(base + " has train/valid folders but no class folders inside them");
            }
            List<String> classes = List.copyOf(classNames);
            List<CellImage> images = new ArrayList<>();
            Map<Path, String> folderOf = new HashMap<>();
            for (Map.Entry<String, Path> side : splitFolders.entrySet()) {
                for (Path c : subfolders(side.getValue())) {
                    int from = images.size();
                    collect(base, c, classes.indexOf(c.getFileName().toString()), images);
                    for (CellImage image : images.subList(from, images.size())) {
                        folderOf.put(image.path(), side.getKey());
                    }
                }
            }
            return finish(base, classes, images, folderOf);
        }

        private CellDataset finish(Path base, List<String> classes, List<CellImage> images, Map<Path, String> folderOf) {
            images.sort((a, b) -> relative(base, a.path()).compareTo(relative(base, b.path())));
            skipped.sort((a, b) -> a.file().compareTo(b.file()));
            return new CellDataset(base, classes, images, skipped, notes, folderOf, fingerprint(classes, false),
                    fingerprint(classes, true));
        }

        /** Steps into a lone folder that itself holds folders: the folder an archive was extracted into. */
        private Path descend(Path dir) throws IOException {
            Path base = dir;
            Set<Path> visited = new HashSet<>();
            while (true) {
                if (!visited.add(base.toRealPath())) {
                    throw FolderLoopException.at(base);
                }
                List<Path> folders = subfolders(base);
                if (folders.size() != 1 || hasImages(base) || subfolders(folders.get(0)).isEmpty()
                        || SPLIT_FOLDERS.containsKey(folders.get(0).getFileName().toString().toLowerCase(Locale.ROOT))) {
                    return base;
                }
                notes.add("using " + folders.get(0) + ", the only folder in " + base);
                base = folders.get(0);
            }
        }

        /**
         * Drops a folder that repeats its siblings' class folders, like Kaggle's {@code cell_images/cell_images}:
         * it holds no images itself and every folder in it has the name of a sibling.
         */
        private List<Path> withoutNestedDuplicates(List<Path> folders) throws IOException {
            Set<String> names = new TreeSet<>();
            for (Path f : folders) {
                names.add(f.getFileName().toString());
            }
            List<Path> kept = new ArrayList<>();
            for (Path f : folders) {
                List<Path> inner = subfolders(f);
                boolean duplicate = !inner.isEmpty() && !hasImages(f)
                        && inner.stream().allMatch(p -> names.contains(p.getFileName().toString())
                                && !p.getFileName().toString().equals(f.getFileName().toString()));
                if (duplicate) {
                    notes.add("ignored " + relative(given, f) + "/: a nested copy of the class folders");
                } else {
                    kept.add(f);
                }
            }
            return kept;
        }

        /**
         * Adds the images under one class folder (at any depth, following links); records everything else as
         * skipped.
         */
        private void collect(Path base, Path folder, int label, List<CellImage> images) throws IOException {
            Files.walkFileTree(folder, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (!dir.equals(folder) && isHidden(dir)) {
                        skipped.add(new Skipped(dir, "hidden folder"));
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    String name = file.getFileName().toString();
                    if (attrs.isSymbolicLink()) {
                        // the walk follows links and gives a link's own attributes only when its target cannot be read
                        skipped.add(new Skipped(file, Files.notExists(file) ? BROKEN_LINK
                                : "cannot be read: symbolic link to an unreachable target"));
                    } else if (!attrs.isRegularFile()) {
                        skipped.add(new Skipped(file, "not a regular file"));
                    } else if (isHidden(file)) {
                        skipped.add(new Skipped(file, "hidden file"));
                    } else if (!isImageFileName(name)) {
                        skipped.add(new Skipped(file, "not an image file"));
                    } else if (attrs.size() == 0) {
                        skipped.add(new Skipped(file, "empty file"));
                    } else {
                        images.add(new CellImage(file, label, Donor.of(file)));
                        String key = relative(base, file);
                        identity.put(key, label + "\t" + attrs.size());
                        modified.put(key, attrs.lastModifiedTime().toMillis());
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws FolderLoopException {
                    if (e instanceof FileSystemLoopException) {
                        throw FolderLoopException.at(file);
                    }
                    skipped.add(new Skipped(file, "cannot be read: " + e.getClass().getSimpleName()));
                    return FileVisitResult.CONTINUE;
                }
            });
        }

        private void skipLooseFiles(Path dir) throws IOException {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                for (Path p : entries) {
                    if (Files.isRegularFile(p)) {
                        skipped.add(new Skipped(p, "not inside a class folder"));
                    }
                }
            }
        }

        /** The data set's identity; with the modification times it is byte for byte the older fingerprint. */
        private String fingerprint(List<String> classes, boolean withTimes) {
            try {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                sha.update(("classes\t" + String.join("\t", classes) + "\n").getBytes(StandardCharsets.UTF_8));
                for (Map.Entry<String, String> e : identity.entrySet()) {
                    String line = e.getKey() + "\t" + e.getValue()
                            + (withTimes ? "\t" + modified.get(e.getKey()) : "") + "\n";
                    sha.update(line.getBytes(StandardCharsets.UTF_8));
                }
                return HexFormat.of().formatHex(sha.digest());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
            }
        }

        private static List<Path> subfolders(Path dir) throws IOException {
            List<Path> folders = new ArrayList<>();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                for (Path p : entries) {
                    if (Files.isDirectory(p) && !isHidden(p)) {
                        folders.add(p);
                    }
                }
            }
            Collections.sort(folders);
            return folders;
        }

        private static boolean hasImages(Path dir) throws IOException {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                for (Path p : entries) {
                    if (Files.isRegularFile(p) && isImageFileName(p.getFileName().toString())) {
                        return true;
                    }
                }
            }
            return false;
        }
    }
}
