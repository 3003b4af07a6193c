package org.smearscan.segment;

/**
 * An axis-aligned rectangle in image pixels: top-left corner, width and height. The unit in which detected
 * cells and annotated cells are compared.
 *
 * @param x left edge (inclusive)
 * @param y top edge (inclusive)
 * @param w width, at least 1
 * @param h height, at least 1
 */
public record Box(int x, int y, int w, int h) {

    public Box {
        if (w < 1 || h < 1) {
            throw new IllegalArgumentException("a box needs a positive width and height, got " + w + " x " + h);
        }
    }

    public int right() {
        return x + w;
    }

    public int bottom() {
        return y + h;
    }

    public long area() {
        return (long) w * h;
    }

    public double centerX() {
        return x + w / 2.0;
    }

    public double centerY() {
        return y + h / 2.0;
    }

    /** Intersection over union with another box: 0 when they do not overlap, 1 when they are the same. */
    public double iou(Box other) {
        long iw = Math.min(right(), other.right()) - Math.max(x, other.x);
        long ih = Math.min(bottom(), other.bottom()) - Math.max(y, other.y);
        if (iw <= 0 || ih <= 0) {
            return 0;
        }
        long intersection = iw * ih;
        return (double) intersection / (area() + other.area() - intersection);
    }

    /** Whether the box comes within {@code margin} pixels of an edge of an image of the given size. */
    public boolean nearBorder(int imageWidth, int imageHeight, int margin) {
        return x <= margin || y <= margin || right() >= imageWidth - margin || bottom() >= imageHeight - margin;
    }

    /** This box cut to an image of the given size, or {@code null} when nothing of it lies inside. */
    public Box clampTo(int imageWidth, int imageHeight) {
        int x0 = Math.max(0, x);
        int y0 = Math.max(0, y);
        int x1 = Math.min(imageWidth, right());
        int y1 = Math.min(imageHeight, bottom());
        return x1 > x0 && y1 > y0 ? new Box(x0, y0, x1 - x0, y1 - y0) : null;
    }
}
