package org.smearscan.predict;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Turns command-line PATH arguments into image files: a file is taken as it is, a folder is searched
 * recursively for images, and a glob the shell did not expand (quoted, or matching nothing there) is
 * expanded here. A PATH that names nothing is kept, so the caller reports it instead of silently skipping it.
 */
public final class InputFiles {
    /** Extensions of the formats ImageIO reads; a folder search only picks these. */
    static final Set<String> IMAGE_EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif", "tif", "tiff");

    private InputFiles() {}

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
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile).filter(InputFiles::looksLikeImage).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot search " + folder + ": " + e.getMessage(), e);
        }
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
        List<Path> matches = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(base, depth)) {
            for (Path p : walk.sorted().toList()) {
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
        } catch (IOException e) {
            throw new UncheckedIOException("cannot search " + base + ": " + e.getMessage(), e);
        }
        return matches;
    }
}
