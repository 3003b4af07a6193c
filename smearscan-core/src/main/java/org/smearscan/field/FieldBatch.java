package org.smearscan.field;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.smearscan.data.ImageDecoding;
import org.smearscan.data.UnreadableImageException;

/**
 * Screens field photographs one after another: decode, screen, hand each field to a sink while its image is
 * still in memory (for overlays and crops), then forget the image, so a thousand fields need the memory of
 * one. A file that cannot be decoded, or an image that is no field, is recorded with its reason and the
 * batch goes on: one bad photograph must not cost a slide's count.
 */
public final class FieldBatch {

    /** Receives each input as soon as it is done; {@code field} is the decoded image, null for a failed input. */
    @FunctionalInterface
    public interface Sink {
        void accept(ScreenedFile file, BufferedImage field) throws IOException;
    }

    private final FieldScreener screener;
    private final SlideGrouping grouping;

    public FieldBatch(FieldScreener screener, SlideGrouping grouping) {
        this.screener = Objects.requireNonNull(screener, "screener");
        this.grouping = Objects.requireNonNull(grouping, "grouping");
    }

    /** Screens the files in order; an {@link IOException} from the sink (a full disk) stops the batch. */
    public ScreenRun run(List<Path> files, Sink sink) throws IOException {
        List<String> slides = grouping.slidesOf(files);
        List<ScreenedFile> done = new ArrayList<>(files.size());
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            BufferedImage image = null;
            ScreenedFile outcome;
            try {
                image = read(file);
                outcome = ScreenedFile.screened(file, slides.get(i), screener.screen(file.toString(), image));
            } catch (UnreadableImageException | NotAFieldException e) {
                outcome = ScreenedFile.failed(file, slides.get(i), e.getMessage());
            }
            done.add(outcome);
            sink.accept(outcome, outcome.isScreened() ? image : null);
        }
        return new ScreenRun(done, grouping, screener.classifier().modelId());
    }

    /** Decodes a file; a missing file or a dangling link is named as such, as predict names them. */
    static BufferedImage read(Path file) throws UnreadableImageException {
        if (Files.notExists(file)) {
            throw new UnreadableImageException(file.toString(), Files.isSymbolicLink(file)
                    ? "is a broken symbolic link (its target does not exist)" : "does not exist");
        }
        try {
            return ImageDecoding.read(file);
        } catch (RuntimeException | OutOfMemoryError e) {
            throw new UnreadableImageException(file.toString(), "cannot be decoded: " + e);
        }
    }
}
