package org.smearscan.testing;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Synthetic thin-smear cell crops for tests: a pink disc on black; parasitized cells also carry small
 * purple ring and dot forms. Self-contained so any package's tests can use it.
 */
public final class SyntheticCells {
    private SyntheticCells() {}

    /** One cell image of the given size. */
    public static BufferedImage cell(Random rnd, boolean parasitized, int w, int h) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.BLACK);
            g.fillRect(0, 0, w, h);
            int margin = Math.max(1, Math.min(w, h) / 12);
            g.setColor(new Color(200 + rnd.nextInt(40), 120 + rnd.nextInt(40), 140 + rnd.nextInt(40)));
            g.fillOval(margin + rnd.nextInt(margin + 1), margin + rnd.nextInt(margin + 1), w - 2 * margin - rnd.nextInt(margin + 1),
                    h - 2 * margin - rnd.nextInt(margin + 1));
            if (parasitized) {
                int forms = 1 + rnd.nextInt(3);
                for (int i = 0; i < forms; i++) {
                    int r = Math.max(2, Math.min(w, h) / 8);
                    int x = w / 4 + rnd.nextInt(Math.max(1, w / 2 - r));
                    int y = h / 4 + rnd.nextInt(Math.max(1, h / 2 - r));
                    g.setColor(new Color(90 + rnd.nextInt(40), 30 + rnd.nextInt(30), 120 + rnd.nextInt(50)));
                    g.setStroke(new java.awt.BasicStroke(Math.max(1f, r / 3f)));
                    g.drawOval(x, y, r, r);
                    g.fillOval(x + r, y + r / 2, Math.max(2, r / 2), Math.max(2, r / 2));
                }
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    /** Uniform colour noise: a picture that is nothing like a cell, for out-of-distribution tests. */
    public static BufferedImage noise(long seed, int size) {
        Random rnd = new Random(seed);
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                image.setRGB(x, y, rnd.nextInt(1 << 24));
            }
        }
        return image;
    }

    /**
     * Writes {@code perClass} images per class under {@code root/Parasitized} and {@code root/Uninfected}
     * with NIH-style names: parasitized ones from infected donors {@code C<n>P<m>ThinF_IMG_x_cell_<k>.png}
     * (several slides per donor), uninfected ones from healthy donors {@code C<n>NThinF_IMG_x_cell_<k>.png}.
     * About 5 images per donor; sizes vary around 64 px, as real crops do.
     */
    public static Path writeDataset(Path root, int perClass, long seed) {
        Random rnd = new Random(seed);
        try {
            Path parasitized = Files.createDirectories(root.resolve("Parasitized"));
            Path uninfected = Files.createDirectories(root.resolve("Uninfected"));
            for (int k = 0; k < perClass; k++) {
                int patient = 1 + k / 5;
                int slide = 100 + 2 * patient + (k % 2);
                write(cell(rnd, true, 48 + rnd.nextInt(32), 48 + rnd.nextInt(32)),
                        parasitized.resolve("C" + slide + "P" + patient + "ThinF_IMG_2015_cell_" + k + ".png"));
                int healthy = 1 + k / 5;
                write(cell(rnd, false, 48 + rnd.nextInt(32), 48 + rnd.nextInt(32)),
                        uninfected.resolve("C" + healthy + "NThinF_IMG_2015_cell_" + k + ".png"));
            }
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(BufferedImage image, Path file) throws IOException {
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer");
        }
    }
}
