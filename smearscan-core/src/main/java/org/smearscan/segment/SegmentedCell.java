package org.smearscan.segment;

import java.util.Objects;

/**
 * One red cell found in a field: its circle, its box and which pixels of the box belong to it.
 *
 * @param box     the cell's bounding box, cut to the field
 * @param centerX centre, field pixels
 * @param centerY centre, field pixels
 * @param radius  radius of the cell's outline
 * @param mask    one byte per pixel of {@code box}, row by row; non-zero where the pixel is part of this cell
 *                (darker than the background and nearer this cell's centre than any neighbour's)
 * @param cut     whether the cell is cut by the field's edge (its box within the border margin)
 */
public record SegmentedCell(Box box, double centerX, double centerY, double radius, byte[] mask, boolean cut) {

    public SegmentedCell {
        Objects.requireNonNull(box, "box");
        Objects.requireNonNull(mask, "mask");
        if (mask.length != box.area()) {
            throw new IllegalArgumentException("a mask of " + mask.length + " pixels for a box of " + box.area());
        }
    }

    /** Whether the pixel at field coordinates (x, y) belongs to this cell. */
    public boolean contains(int x, int y) {
        int dx = x - box.x();
        int dy = y - box.y();
        return dx >= 0 && dy >= 0 && dx < box.w() && dy < box.h() && mask[dy * box.w() + dx] != 0;
    }

    /** Pixels of the cell. */
    public int maskArea() {
        int n = 0;
        for (byte b : mask) {
            if (b != 0) {
                n++;
            }
        }
        return n;
    }
}
