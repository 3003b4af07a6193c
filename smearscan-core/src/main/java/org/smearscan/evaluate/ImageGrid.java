package org.smearscan.evaluate;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import javax.imageio.ImageIO;

/** Images in rows, each scaled to a square tile with caption lines under it, as fastai's plot_top_losses. */
public final class ImageGrid {
    public static final int DEFAULT_TILE = 160;
    private static final int PAD = 8;
    private static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

    private ImageGrid() {}

    /** One tile: the picture and the lines of text to print under it. */
    public record Tile(BufferedImage image, List<String> caption) {}

    public static BufferedImage render(List<Tile> tiles, int columns, int tileSize) {
        if (tiles.isEmpty()) {
            throw new IllegalArgumentException("a grid needs at least one image");
        }
        int cols = Math.max(1, Math.min(columns, tiles.size()));
        int rows = (tiles.size() + cols - 1) / cols;
        int lines = tiles.stream().mapToInt(t -> t.caption().size()).max().orElse(0);
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D pg = probe.createGraphics();
        FontMetrics metrics = pg.getFontMetrics(FONT);
        pg.dispose();
        int lineHeight = metrics.getHeight();
        int cellWidth = tileSize + 2 * PAD;
        int cellHeight = tileSize + lines * lineHeight + 2 * PAD;
        BufferedImage grid = new BufferedImage(cols * cellWidth, rows * cellHeight, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = grid.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, grid.getWidth(), grid.getHeight());
            g.setFont(FONT);
            for (int i = 0; i < tiles.size(); i++) {
                int x = (i % cols) * cellWidth + PAD;
                int y = (i / cols) * cellHeight + PAD;
                g.drawImage(tiles.get(i).image(), x, y, tileSize, tileSize, null);
                g.setColor(Color.BLACK);
                int baseline = y + tileSize + metrics.getAscent() + 2;
                for (String line : tiles.get(i).caption()) {
                    g.drawString(fit(line, metrics, tileSize), x, baseline);
                    baseline += lineHeight;
                }
            }
        } finally {
            g.dispose();
        }
        return grid;
    }

    public static byte[] png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalStateException("no PNG writer in this Java runtime");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing a PNG to memory failed", e);
        }
        return out.toByteArray();
    }

    /** Shortens a caption line with an ellipsis so it stays under its tile. */
    private static String fit(String line, FontMetrics metrics, int width) {
        if (metrics.stringWidth(line) <= width) {
            return line;
        }
        String s = line;
        while (s.length() > 1 && metrics.stringWidth(s + "…") > width) {
            s = s.substring(0, s.length() - 1);
        }
        return s + "…";
    }
}
