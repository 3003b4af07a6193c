package org.smearscan.field;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Which fields belong to one slide, whose counts are summed. A microscopist counts parasitemia over the
 * fields of one slide; fields of different patients must never be pooled, so fields are summed only when
 * the user says they belong together, by keeping each slide's photographs in a folder of its own.
 */
public enum SlideGrouping {
    /** Each field is its own slide: nothing is pooled unless asked for. */
    FIELD,
    /** The fields of one folder are one slide, named after the folder. */
    FOLDER;

    /**
     * The slide name of each file, in input order. By folder, a slide is named after its folder; two
     * different folders of the same name (a/slide1, b/slide1) are told apart by their paths as given.
     */
    public List<String> slidesOf(List<Path> files) {
        if (this == FIELD) {
            return files.stream().map(Path::toString).toList();
        }
        Map<Path, String> shortNames = new LinkedHashMap<>();
        for (Path file : files) {
            shortNames.computeIfAbsent(folderOf(file), SlideGrouping::folderName);
        }
        Map<String, Long> uses = shortNames.values().stream().collect(Collectors.groupingBy(n -> n, Collectors.counting()));
        Map<Path, String> givenPaths = new HashMap<>();
        for (Path file : files) {
            givenPaths.putIfAbsent(folderOf(file), file.getParent() == null ? "." : file.getParent().toString());
        }
        List<String> slides = new ArrayList<>(files.size());
        for (Path file : files) {
            Path folder = folderOf(file);
            String name = shortNames.get(folder);
            slides.add(uses.get(name) > 1 ? givenPaths.get(folder) : name);
        }
        return slides;
    }

    /** The name as outputs write it: {@code field} or {@code folder}. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    private static Path folderOf(Path file) {
        return file.toAbsolutePath().normalize().getParent();
    }

    private static String folderName(Path folder) {
        return folder == null || folder.getFileName() == null ? "/" : folder.getFileName().toString();
    }
}
