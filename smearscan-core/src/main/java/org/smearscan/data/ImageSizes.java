package org.smearscan.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageInputStream;

/**
 * Width and height statistics of images, read from their headers only (no pixel is decoded), so it is fast
 * enough to run on every {@code smearscan data}.
 *
 * @param measured   images whose header could be read
 * @param minWidth   smallest width in pixels
 * @param medianWidth median width
 * @param maxWidth   largest width
 * @param minHeight  smallest height
 * @param medianHeight median height
 * @param maxHeight  largest height
 * @param problems   images whose header could not be read, with the problem
 */
public record ImageSizes(int measured, int minWidth, int medianWidth, int maxWidth, int minHeight, int medianHeight,
        int maxHeight, List<Problem> problems) {

    /** An image whose header could not be read. */
    public record Problem(Path file, String problem) {}

    public ImageSizes {
        problems = List.copyOf(problems);
    }

    /** Reads every image's header, in parallel on the common fork-join pool. */
    public static ImageSizes measure(List<CellImage> images) {
        int n = images.size();
        int[] widths = new int[n];
        int[] heights = new int[n];
        String[] problems = new String[n];
        IntStream.range(0, n).parallel().forEach(i -> {
            try {
                int[] wh = dimensions(images.get(i).path());
                widths[i] = wh[0];
                heights[i] = wh[1];
            } catch (IOException | RuntimeException e) {
                problems[i] = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            }
        });
        List<Problem> bad = new ArrayList<>();
        int[] w = new int[n];
        int[] h = new int[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (problems[i] != null) {
                bad.add(new Problem(images.get(i).path(), problems[i]));
            } else {
                w[m] = widths[i];
                h[m] = heights[i];
                m++;
            }
        }
        if (m == 0) {
            return new ImageSizes(0, 0, 0, 0, 0, 0, 0, bad);
        }
        w = Arrays.copyOf(w, m);
        h = Arrays.copyOf(h, m);
        Arrays.sort(w);
        Arrays.sort(h);
        return new ImageSizes(m, w[0], median(w), w[m - 1], h[0], median(h), h[m - 1], Collections.unmodifiableList(bad));
    }

    /** Width and height from the file's header. */
    static int[] dimensions(Path file) throws IOException {
        try (ImageInputStream stream = ImageIO.createImageInputStream(file.toFile())) {
            if (stream == null) {
                throw new IOException("cannot be opened");
            }
            int[] size = ImageDecoding.headerDimensions(stream);
            if (size == null) {
                throw new IOException("is not in an image format SmearScan reads");
            }
            return size;
        }
    }

    /** The middle value; for an even count the lower of the two middle ones (a real image's size). */
    private static int median(int[] sorted) {
        return sorted[(sorted.length - 1) / 2];
    }
}
