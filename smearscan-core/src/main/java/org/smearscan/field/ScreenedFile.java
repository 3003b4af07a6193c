package org.smearscan.field;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One input of a batch of fields: its count, or why it has none. A run lists both kinds in input order, so
 * that an unreadable photograph or a single-cell crop given by mistake is seen beside the fields that were
 * counted instead of silently shrinking a slide.
 *
 * @param file   the input as it was given (a path, or an upload's name)
 * @param slide  the slide it belongs to
 * @param result the screened field; null when it could not be screened
 * @param error  why it could not be screened (the message names the file); null when it was
 */
public record ScreenedFile(Path file, String slide, FieldResult result, String error) {

    public ScreenedFile {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(slide, "slide");
        if ((result == null) == (error == null)) {
            throw new IllegalArgumentException("a file is either screened or has an error: " + file);
        }
    }

    public static ScreenedFile screened(Path file, String slide, FieldResult result) {
        return new ScreenedFile(file, slide, Objects.requireNonNull(result, "result"), null);
    }

    public static ScreenedFile failed(Path file, String slide, String error) {
        return new ScreenedFile(file, slide, null, Objects.requireNonNull(error, "error"));
    }

    public boolean isScreened() {
        return result != null;
    }

    /** The field's name in every output: the path as given. */
    public String name() {
        return file.toString();
    }
}
