package org.smearscan.modelfile;

import java.nio.file.Path;

/** A model file that cannot be used; the message names the file and the reason. */
public class InvalidModelFileException extends RuntimeException {
    private final Path file;

    public InvalidModelFileException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
