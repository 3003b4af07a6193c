package org.smearscan.predict;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.smearscan.io.FolderLoopException;

/**
 * Turns command-line PATH arguments into image files: a file is taken as it is, a folder is searched
 * recursively for images, and a glob the shell did not expand (quoted, or matching nothing there) is
 * expanded here. A PATH that names nothing is kept, so the caller reports it instead of silently skipping it.
 *
 * <p>Symbolic links are followed, to files and to folders, as torchvision's ImageFolder and fastai do; a file
 * keeps the path it was found at (the link's). A link with an image name whose target is missing is kept
 * too, so it is reported as unreadable; a folder link back to a folder that contains it is refused with an
 * error naming the link.
 */
public final class InputFiles {
    /** Extensions of the formats ImageIO reads; a folder search only picks these. */
    public static final Set<String> IMAGE_EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif", "tif", "tiff");

    private InputFiles() {}

    /** As {@link #expand}, refusing arguments that name no image at all. */
    public static List<Path> expandSome(List<String> arguments) {
        List<Path> files = expand(arguments);
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no images found in " + String.join(" ", arguments));
        }
        return files;
    }

    /** Files in argument order; folder and glob matches in path order; each file once. */
    public static List<Path> expand(List<String> arguments) {
        Set<Path> files = new LinkedHashSet<>();
        for (String argument : arguments) {
            Path path = Path.of(argument);
            if (Files.isDirectory(path)) {
                files.addAll(imagesUnder(path));
            } else if (!Files.exists(path) && isGlob(argument)) {
                files.addAll(glob(argument));
            } else {
                files.add(path);
            }
        }
        return new ArrayList<>(files);
    }

    /** Whether a name is a candidate image: a known image extension, not hidden (e.g. macOS "._x.png" files). */
    public static boolean looksLikeImage(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return !name.startsWith(".") && dot > 0
                && IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    static boolean isGlob(String argument) {
        return argument.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
    }

    private static List<Path> imagesUnder(Path folder) {
        try (Stream<Path> walk = Files.walk(folder, FileVisitOption.FOLLOW_LINKS)) {
            return walk.filter(p -> Files.isRegularFile(p) || isBrokenLink(p)).filter(InputFiles::looksLikeImage)
                    .sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            throw searchFailed(folder, e);
        }
    }

    private static boolean isBrokenLink(Path p) {
        return Files.isSymbolicLink(p) && Files.notExists(p);
    }

    /** The error for a walk that failed; a folder loop gets its own message naming the link. */
    private static UncheckedIOException searchFailed(Path folder, Exception e) {
        IOException cause = e instanceof UncheckedIOException u ? u.getCause() : (IOException) e;
        if (cause instanceof FileSystemLoopException loop) {
            FolderLoopException error = FolderLoopException.at(Path.of(loop.getFile()));
            return new UncheckedIOException(error.getMessage(), error);
        }
        return new UncheckedIOException("cannot search " + folder + ": " + cause.getMessage(), cause);
    }

    /**
     * Expands a glob relative to its longest literal folder prefix, so "data/**&#47;*.png" walks data/ only.
     * Matching folders contribute their images. A glob matching nothing yields nothing; the caller decides
     * whether an empty result is an error.
     */
    static List<Path> glob(String pattern) {
        String normalized = pattern.replace('\\', '/');
        int firstWildcard = 0;
        while (firstWildcard < normalized.length() && "*?[{".indexOf(normalized.charAt(firstWildcard)) < 0) {
            firstWildcard++;
        }
        int lastSlash = normalized.lastIndexOf('/', firstWildcard);
        Path base = lastSlash < 0 ? Path.of(".") : Path.of(lastSlash == 0 ? "/" : normalized.substring(0, lastSlash));
        String relative = normalized.substring(lastSlash + 1);
        if (!Files.isDirectory(base)) {
            return List.of();
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + relative);
        boolean hiddenWanted = relative.substring(relative.lastIndexOf('/') + 1).startsWith(".");
        int depth = relative.contains("**") ? Integer.MAX_VALUE : relative.split("/").length;
        List<Path> walked;
        try (Stream<Path> walk = Files.walk(base, depth, FileVisitOption.FOLLOW_LINKS)) {
            walked = walk.sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            throw searchFailed(base, e);
        }
        List<Path> matches = new ArrayList<>();
        for (Path p : walked) {
            if (p.equals(base) || !matcher.matches(base.relativize(p))) {
                continue;
            }
            // as in a shell, a wildcard does not match hidden names (e.g. macOS "._x.png" resource forks)
            if (p.getFileName().toString().startsWith(".") && !hiddenWanted) {
                continue;
            }
            Path shown = lastSlash < 0 ? base.relativize(p) : p;
            if (Files.isDirectory(p)) {
                matches.addAll(imagesUnder(shown));
            } else {
                matches.add(shown);
            }
        }
        return matches;
    }
}
