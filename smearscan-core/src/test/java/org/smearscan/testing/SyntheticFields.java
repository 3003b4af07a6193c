package org.smearscan.testing;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Simple smear fields for tests: mauve discs with paler centres (red cells, ~38 px radius like the IML-Malaria
 * fields) on a light grey-green background, at known places, some touching. Infected discs carry a dark purple
 * dot. Self-contained so any package's tests can use it; the composed fields of real crops are in
 * {@code field.compose}.
 */
public final class SyntheticFields {
    public static final Color BACKGROUND = new Color(205, 218, 208);

    /** A disc drawn in a field: centre, radius, infected or not. */
    public record Disc(int x, int y, int r, boolean infected) {}

    /** A drawn field and its discs. */
    public record Field(BufferedImage image, List<Disc> discs) {}

    private SyntheticFields() {}

    /** A grid of discs, every {@code touchingEvery}-th pair touching, with {@code infected} of them infected. */
    public static Field grid(int width, int height, int radius, int infected, long seed) {
        Random rnd = new Random(seed);
        List<Disc> discs = new ArrayList<>();
        int step = radius * 3;
        int n = 0;
        for (int y = radius + 12; y + radius + 12 < height; y += step) {
            for (int x = radius + 12; x + radius + 12 < width; x += step) {
                int r = radius - 2 + rnd.nextInt(5);
                discs.add(new Disc(x, y, r, n < infected));
                n++;
            }
        }
        return draw(width, height, discs, seed);
    }

    /** Two discs that touch, overlapping by {@code overlap} pixels, in the middle of an otherwise empty field. */
    public static Field touchingPair(int width, int height, int radius, int overlap) {
        int cx = width / 2;
        int cy = height / 2;
        List<Disc> discs = List.of(new Disc(cx - radius + overlap / 2, cy, radius, false),
                new Disc(cx + radius - overlap / 2, cy, radius, false));
        return draw(width, height, discs, 1);
    }

    public static Field draw(int width, int height, List<Disc> discs, long seed) {
        Random rnd = new Random(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(BACKGROUND);
            g.fillRect(0, 0, width, height);
            for (Disc d : discs) {
                int shade = rnd.nextInt(15);
                g.setColor(new Color(170 + shade, 135 + shade, 158 + shade));
                g.fillOval(d.x() - d.r(), d.y() - d.r(), 2 * d.r(), 2 * d.r());
                g.setColor(new Color(188 + shade, 160 + shade, 176 + shade));
                int c = d.r() / 3;
                g.fillOval(d.x() - c, d.y() - c, 2 * c, 2 * c);
                if (d.infected()) {
                    g.setColor(new Color(90, 30, 120));
                    g.fillOval(d.x() + d.r() / 4, d.y() - d.r() / 3, d.r() / 3, d.r() / 3);
                }
            }
        } finally {
            g.dispose();
        }
        return new Field(image, discs);
    }
}
