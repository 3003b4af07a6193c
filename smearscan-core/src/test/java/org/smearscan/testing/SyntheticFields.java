package org.smearscan.testing;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Synthetic thin-smear field photographs for tests: mauve discs of red-cell size (radius about 38 px, as in the
 * IML-Malaria fields) with paler centres on a light grey-green background, some touching, a few cut by the
 * edge (the first four, one per edge), some with purple parasite-like dots. Self-contained so any package's tests can use it.
 */
public final class SyntheticFields {
    public static final Color BACKGROUND = new Color(205, 218, 208);
    /** The usual red-cell radius of an IML-Malaria field, pixels. */
    public static final int RADIUS = 38;
    private static final int SPACING = 2 * RADIUS + 8;
    public static final Color CELL = new Color(175, 140, 160);
    private static final Color CENTRE = new Color(192, 168, 182);
    private static final Color PARASITE = new Color(95, 45, 130);

    /** A drawn disc: centre and radius, pixels, and whether it carries a parasite-like dot. */
    public record Disc(double x, double y, double r, boolean infected) {
        public Disc(double x, double y, double r) {
            this(x, y, r, false);
        }

        /** The disc's bounding box, pixels. */
        public org.smearscan.segment.Box box() {
            return new org.smearscan.segment.Box((int) Math.round(x - r), (int) Math.round(y - r),
                    (int) Math.round(2 * r), (int) Math.round(2 * r));
        }

        /** Whether the disc lies wholly inside a field of the given size, {@code margin} pixels from each edge. */
        public boolean inside(int width, int height, double margin) {
            return x - r >= margin && y - r >= margin && x + r <= width - margin && y + r <= height - margin;
        }
    }

    /** A field and the discs drawn on it. */
    public record Field(BufferedImage image, List<Disc> discs) {}

    private SyntheticFields() {}

    /**
     * A field of {@code width x height} with about {@code count} discs: the first four crossing the edges, most
     * apart, about one in five placed touching an earlier one.
     */
    public static Field field(long seed, int width, int height, int count) {
        Random rnd = new Random(seed);
        List<Disc> discs = new ArrayList<>();
        for (int tries = 0; discs.size() < count && tries < 20_000; tries++) {
            double r = 35 + rnd.nextDouble() * 6;
            double x;
            double y;
            if (discs.size() >= 4 && rnd.nextInt(5) == 0) {
                // touching an earlier disc: centres a little under the sum of the radii apart
                Disc other = discs.get(rnd.nextInt(discs.size()));
                double angle = rnd.nextDouble() * 2 * Math.PI;
                double d = other.r() + r - 2;
                x = other.x() + d * Math.cos(angle);
                y = other.y() + d * Math.sin(angle);
            } else if (discs.size() < 4) {
                // the first few cross an edge (left, top, right, bottom), a third of them outside the field
                int edge = discs.size();
                double along = 0.2 + 0.6 * rnd.nextDouble();
                x = edge == 0 ? r / 3 : edge == 2 ? width - r / 3 : along * width;
                y = edge == 1 ? r / 3 : edge == 3 ? height - r / 3 : along * height;
            } else {
                x = r + 8 + rnd.nextDouble() * (width - 2 * (r + 8));
                y = r + 8 + rnd.nextDouble() * (height - 2 * (r + 8));
            }
            if (x < 0 || y < 0 || x >= width || y >= height || overlaps(discs, x, y, r)) {
                continue;
            }
            discs.add(new Disc(x, y, r, rnd.nextInt(3) == 0));
        }
        return draw(width, height, discs, seed);
    }

    /** The test fields' usual shape: 1280 x 960 (an IML-Malaria field) with 45 discs. */
    public static Field field(long seed) {
        return field(seed, 1280, 960, 45);
    }

    /**
     * A jittered grid of discs filling a field of the given size (640 x 480 holds 35, 1280 x 960 about 150), every
     * fourth leaning on its left neighbour, about one in six with a parasite dot, with a little sensor noise.
     */
    public static Field gridField(long seed, int width, int height) {
        Random rnd = new Random(seed);
        List<Disc> discs = new ArrayList<>();
        int columns = (width - 2 * 12) / SPACING;
        int rows = (height - 2 * 12) / SPACING;
        int x0 = (width - (columns - 1) * SPACING) / 2;
        int y0 = (height - (rows - 1) * SPACING) / 2;
        for (int row = 0; row < rows; row++) {
            for (int col = 0; col < columns; col++) {
                double x = x0 + col * SPACING + rnd.nextInt(7) - 3;
                double y = y0 + row * SPACING + rnd.nextInt(7) - 3;
                if (col > 0 && rnd.nextInt(4) == 0) {
                    Disc left = discs.get(discs.size() - 1);
                    x = left.x() + 2 * RADIUS - 1;
                    y = left.y();
                }
                discs.add(new Disc(x, y, RADIUS - 2 + rnd.nextInt(5), rnd.nextInt(6) == 0));
            }
        }
        Field drawn = draw(width, height, discs, seed);
        addNoise(drawn.image(), rnd);
        return drawn;
    }

    /** Writes a {@link #gridField} as a PNG and returns the file. */
    public static Path write(Path file, long seed, int width, int height) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            ImageIO.write(gridField(seed, width, height).image(), "png", file.toFile());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A little sensor noise, so that no two pixels of a cell are exactly alike. */
    private static void addNoise(BufferedImage image, Random rnd) {
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int n = rnd.nextInt(7) - 3;
                image.setRGB(x, y, (clamp(((rgb >> 16) & 0xff) + n) << 16) | (clamp(((rgb >> 8) & 0xff) + n) << 8)
                        | clamp((rgb & 0xff) + n));
            }
        }
    }

    /** Two discs overlapping by {@code overlap} pixels in the middle of an otherwise empty field. */
    public static Field touchingPair(int width, int height, int radius, int overlap) {
        int cx = width / 2;
        int cy = height / 2;
        return draw(width, height, List.of(new Disc(cx - radius + overlap / 2.0, cy, radius),
                new Disc(cx + radius - overlap / 2.0, cy, radius)), 1);
    }

    /** The given discs, drawn in order (a later one covers an earlier one), dots on the infected ones. */
    public static Field draw(int width, int height, List<Disc> discs, long seed) {
        Random rnd = new Random(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(BACKGROUND);
            g.fillRect(0, 0, width, height);
            for (Disc d : discs) {
                g.setColor(jitter(rnd, CELL));
                fill(g, d.x(), d.y(), d.r());
                g.setColor(jitter(rnd, CENTRE));
                fill(g, d.x(), d.y(), d.r() * 0.4);
                if (d.infected()) {
                    g.setColor(PARASITE);
                    fill(g, d.x() + d.r() / 3, d.y() - d.r() / 4, d.r() / 6);
                }
            }
        } finally {
            g.dispose();
        }
        return new Field(image, List.copyOf(discs));
    }

    /** Overlapping by more than a few pixels (touching is fine: red cells in a smear touch). */
    private static boolean overlaps(List<Disc> discs, double x, double y, double r) {
        for (Disc d : discs) {
            if (Math.hypot(d.x() - x, d.y() - y) < d.r() + r - 3) {
                return true;
            }
        }
        return false;
    }

    private static void fill(Graphics2D g, double x, double y, double r) {
        g.fill(new java.awt.geom.Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r));
    }

    private static Color jitter(Random rnd, Color c) {
        int d = rnd.nextInt(9) - 4;
        return new Color(clamp(c.getRed() + d), clamp(c.getGreen() + d), clamp(c.getBlue() + d));
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
