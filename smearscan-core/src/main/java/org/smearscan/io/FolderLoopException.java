package org.smearscan.io;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A folder walk that follows symbolic links (as torchvision's ImageFolder and fastai do) met a link back to a
 * folder that contains it: the walk would never end, so it is refused. The message names the link and the
 * folder it leads to.
 */
public final class FolderLoopException extends FileSystemException {
    private static final long serialVersionUID = 1L;

    private final String message;

    private FolderLoopException(Path link, String target, String message) {
        super(link.toString(), target, "folder loop");
        this.message = message;
    }

    /**
     * The error for a loop the walk found at {@code looping} (a path whose folder is already one of its
     * ancestors, as {@link java.nio.file.FileSystemLoopException#getFile()} reports it). The link named is
     * the deepest symbolic link on that path: the one that closes the loop.
     */
    public static FolderLoopException at(Path looping) {
        Path link = looping;
        while (link != null && !Files.isSymbolicLink(link)) {
            link = link.getParent();
        }
        String target = realPath(link != null ? link : looping);
        if (link == null) {
            return new FolderLoopException(looping, target, "folder loop: " + looping + " is " + target
                    + " again, a folder that contains it");
        }
        return new FolderLoopException(link, target, "folder loop: " + link + " is a symbolic link to " + target
                + ", a folder that contains it, so the folder walk would never end; remove or change the link");
    }

    @Override
    public String getMessage() {
        return message;
    }

    private static String realPath(Path p) {
        try {
            return p.toRealPath().toString();
        } catch (IOException | SecurityException e) {
            return p.toAbsolutePath().normalize().toString();
        }
    }
}
