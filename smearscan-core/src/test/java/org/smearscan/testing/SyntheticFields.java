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
 * Synthetic thin-smear fields for tests: pink-mauve red cells (discs of radius ~38 px with a paler centre) on
 * the light grey-green background of a Giemsa field, on a jittered grid, some touching their neighbour, a few
 * with a dark purple parasite dot. Sized for {@code SegmentationParameters.DEFAULT} (radius 26-52 px).
 */
public final class SyntheticFields {
    /** Background of the field, RGB(205, 218, 208). */
    public static final Color BACKGROUND = new Color(205, 218, 208);
    public static final int RADIUS = 38;
    /** Grid spacing between cell centres: a gap of 8 px between untouched neighbours. */
    private static final int SPACING = 2 * RADIUS + 8;

    private SyntheticFields() {}

    /** One drawn cell: its centre, radius and whether it carries a parasite dot. */
    public record Disc(int x, int y, int r, boolean parasite) {}

    /** A drawn field and the discs drawn on it. */
    public record Field(BufferedImage image, List<Disc> discs) {}

    /** A field of the given size (640 × 480 holds 35 cells, 1280 × 960 about 150). */
    public static Field field(long seed, int width, int height) {
        Random rnd = new Random(seed);
        List<Disc> discs = new ArrayList<>();
        int columns = (width - 2 * 12) / SPACING;
        int rows = (height - 2 * 12) / SPACING;
        int x0 = (width - (columns - 1) * SPACING) / 2;
        int y0 = (height - (rows - 1) * SPACING) / 2;
        for (int row = 0; row < rows; row++) {
            for (int col = 0; col < columns; col++) {
                int x = x0 + col * SPACING + rnd.nextInt(7) - 3;
                int y = y0 + row * SPACING + rnd.nextInt(7) - 3;
                // every fourth cell leans on its left neighbour: touching cells, as in a real smear
                if (col > 0 && rnd.nextInt(4) == 0) {
                    Disc left = discs.get(discs.size() - 1);
                    x = left.x() + 2 * RADIUS - 1;
                    y = left.y();
                }
                discs.add(new Disc(x, y, RADIUS - 2 + rnd.nextInt(5), rnd.nextInt(6) == 0));
            }
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(BACKGROUND);
            g.fillRect(0, 0, width, height);
            for (Disc d : discs) {
                g.setColor(new Color(170 + rnd.nextInt(11), 135 + rnd.nextInt(11), 155 + rnd.nextInt(11)));
                g.fillOval(d.x() - d.r(), d.y() - d.r(), 2 * d.r(), 2 * d.r());
                int pale = d.r() * 2 / 5;
                g.setColor(new Color(192, 160, 176));
                g.fillOval(d.x() - pale, d.y() - pale, 2 * pale, 2 * pale);
                if (d.parasite()) {
                    g.setColor(new Color(80, 30, 110));
                    g.fillOval(d.x() + d.r() / 3 - 5, d.y() - d.r() / 3 - 5, 10, 10);
                }
            }
        } finally {
            g.dispose();
        }
        addNoise(image, rnd);
        return new Field(image, discs);
    }

    /** Writes a field as a PNG and returns the file. */
    public static Path write(Path file, long seed, int width, int height) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            ImageIO.write(field(seed, width, height).image(), "png", file.toFile());
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
                int r = clamp(((rgb >> 16) & 0xff) + n);
                int gr = clamp(((rgb >> 8) & 0xff) + n);
                int b = clamp((rgb & 0xff) + n);
                image.setRGB(x, y, (r << 16) | (gr << 8) | b);
            }
        }
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
