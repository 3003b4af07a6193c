package org.smearscan.testing;

import java.awt.BasicStroke;
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
 * Cell images drawn for tests, so no test depends on the real data set: a pink disc on black, and for
 * parasitized cells a few purple ring or dot forms (what Giemsa-stained trophozoites look like).
 */
public final class SyntheticCells {
    private SyntheticCells() {}

    public static BufferedImage cell(Random rnd, boolean parasitized, int w, int h) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.BLACK);
            g.fillRect(0, 0, w, h);
            int margin = Math.max(1, Math.min(w, h) / 12);
            int dw = w - 2 * margin - rnd.nextInt(Math.max(1, margin));
            int dh = h - 2 * margin - rnd.nextInt(Math.max(1, margin));
            g.setColor(new Color(200 + rnd.nextInt(40), 130 + rnd.nextInt(40), 140 + rnd.nextInt(40)));
            g.fillOval(margin, margin, dw, dh);
            if (parasitized) {
                int forms = 1 + rnd.nextInt(3);
                for (int i = 0; i < forms; i++) {
                    int r = Math.max(2, Math.min(w, h) / 8 + rnd.nextInt(Math.max(1, Math.min(w, h) / 16)));
                    int cx = margin + dw / 4 + rnd.nextInt(Math.max(1, dw / 2));
                    int cy = margin + dh / 4 + rnd.nextInt(Math.max(1, dh / 2));
                    g.setColor(new Color(90 + rnd.nextInt(30), 30 + rnd.nextInt(20), 120 + rnd.nextInt(40)));
                    if (rnd.nextBoolean()) {
                        g.setStroke(new BasicStroke(Math.max(1.5f, r / 3f)));
                        g.drawOval(cx - r, cy - r, 2 * r, 2 * r);
                    } else {
                        g.fillOval(cx - r, cy - r, 2 * r, 2 * r);
                    }
                }
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    /** Writes root/Parasitized/*.png and root/Uninfected/*.png with NIH-like names; returns root. */
    public static Path writeDataset(Path root, int perClass, long seed) {
        Random rnd = new Random(seed);
        try {
            Path parasitized = Files.createDirectories(root.resolve("Parasitized"));
            Path uninfected = Files.createDirectories(root.resolve("Uninfected"));
            for (int k = 0; k < perClass; k++) {
                int donor = 1 + k % 5;
                int w = 90 + rnd.nextInt(60);
                int h = 90 + rnd.nextInt(60);
                ImageIO.write(cell(rnd, true, w, h), "png", parasitized.resolve(
                        "C" + donor + "P" + (donor + 10) + "ThinF_IMG_x_cell_" + k + ".png").toFile());
                ImageIO.write(cell(rnd, false, w, h), "png",
                        uninfected.resolve("C" + (donor + 50) + "NThinF_IMG_x_cell_" + k + ".png").toFile());
            }
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
