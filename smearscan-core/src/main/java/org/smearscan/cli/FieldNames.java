package org.smearscan.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Field names given on the command line: a file with one name per line ({@code #} comments), or a comma list. */
final class FieldNames {
    private FieldNames() {}

    /** The names, in order; {@code null} when none were given. */
    static Set<String> parse(String text) throws IOException {
        if (text == null) {
            return null;
        }
        Path file = Path.of(text);
        List<String> items = Files.isRegularFile(file) ? Files.readAllLines(file) : List.of(text.split(","));
        Set<String> names = new LinkedHashSet<>();
        for (String item : items) {
            String name = item.strip();
            if (!name.isEmpty() && !name.startsWith("#")) {
                names.add(name);
            }
        }
        return names;
    }
}
