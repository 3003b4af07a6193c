package org.smearscan.field.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.util.Locale;
import org.smearscan.field.CellCall;
import org.smearscan.field.FieldResult;

/**
 * Draws a screened field's calls over the photograph, so a microscopist sees at a glance what was counted:
 * each cell's outline in the colour of its call (uninfected green, infected red with its probability beside
 * it, not a cell grey dashed, cut by the edge thin grey). The field itself is left as it was beneath the
 * lines; the overlay has the field's size, so it can be laid over the original.
 */
public final class OverlayPainter {
    static final Color UNINFECTED = new Color(0, 170, 60);
    static final Color INFECTED = new Color(220, 20, 30);
    static final Color NOT_A_CELL = new Color(110, 110, 110);
    static final Color CUT = new Color(150, 150, 150);

    private OverlayPainter() {}

    /** A copy of the field with the calls drawn on it; the field is not changed. */
    public static BufferedImage paint(BufferedImage field, FieldResult result) {
        BufferedImage out = new BufferedImage(field.getWidth(), field.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.drawImage(field, 0, 0, null);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            // lines and labels grow with the field, so they read the same on a 640 px and a 4000 px photograph
            float line = Math.max(2f, Math.max(field.getWidth(), field.getHeight()) / 500f);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.round(Math.max(12, 7 * line))));
            // cut and not-a-cell outlines first, so the calls that count are drawn on top where they touch
            for (CallKind kind : new CallKind[] {CallKind.CUT, CallKind.NOT_A_CELL, CallKind.UNINFECTED, CallKind.INFECTED}) {
                for (CellCall cell : result.cells()) {
                    if (CallKind.of(cell) == kind) {
                        outline(g, cell, kind, line);
                    }
                }
            }
            for (CellCall cell : result.cells()) {
                if (CallKind.of(cell) == CallKind.INFECTED) {
                    label(g, cell, field.getWidth(), field.getHeight());
                }
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    private static void outline(Graphics2D g, CellCall cell, CallKind kind, float line) {
        switch (kind) {
            case UNINFECTED -> {
                g.setColor(UNINFECTED);
                g.setStroke(new BasicStroke(line));
            }
            case INFECTED -> {
                g.setColor(INFECTED);
                g.setStroke(new BasicStroke(1.5f * line));
            }
            case NOT_A_CELL -> {
                g.setColor(NOT_A_CELL);
                g.setStroke(new BasicStroke(line, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                        new float[] {4 * line, 3 * line}, 0f));
            }
            case CUT -> {
                g.setColor(CUT);
                g.setStroke(new BasicStroke(Math.max(1f, line / 2)));
            }
            default -> throw new IllegalStateException("unhandled call " + kind);
        }
        double r = cell.radius();
        g.draw(new Ellipse2D.Double(cell.centerX() - r, cell.centerY() - r, 2 * r, 2 * r));
    }

    /** The probability at the cell's upper right, on a white patch so it reads over any stain. */
    private static void label(Graphics2D g, CellCall cell, int width, int height) {
        String text = String.format(Locale.ROOT, "%.2f", cell.parasitizedProbability());
        FontMetrics m = g.getFontMetrics();
        int w = m.stringWidth(text) + 4;
        int h = m.getAscent() + 2;
        double r = cell.radius() * Math.sqrt(0.5);
        int x = (int) Math.round(cell.centerX() + r);
        int y = (int) Math.round(cell.centerY() - r) - h;
        // near the right or top edge the label is pushed back inside the image
        x = Math.max(0, Math.min(x, width - w));
        y = Math.max(0, Math.min(y, height - h));
        g.setColor(new Color(255, 255, 255, 210));
        g.fillRect(x, y, w, h);
        g.setColor(INFECTED);
        g.drawString(text, x + 2, y + m.getAscent());
    }
}
