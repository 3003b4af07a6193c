package org.smearscan.field.truth;

import java.io.IOException;

/**
 * An annotation file that cannot be read as IML-Malaria's {@code annotations.json}: not JSON, a missing key, a
 * value that is not a whole number, an unknown cell type, an empty box or an image named twice. An
 * {@link IOException}, because to its caller it is one more way reading the file can fail, handled where a
 * missing or unreadable file is; the message names the file, the image (or the entry's index) and the problem.
 */
public class AnnotationFormatException extends IOException {
    public AnnotationFormatException(String message) {
        super(message);
    }

    public AnnotationFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
