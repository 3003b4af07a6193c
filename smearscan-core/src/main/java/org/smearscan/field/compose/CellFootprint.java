package org.smearscan.field.compose;

import java.util.Objects;
import org.smearscan.segment.Box;

/**
 * Where a pasted cell lies in a composed field: its binary mask with the mask's top-left corner at (x, y) in
 * field pixels. Part of it may lie outside the image (x or y negative, or beyond the far edge).
 */
public record CellFootprint(int x, int y, CellMask mask) {

    public CellFootprint {
        Objects.requireNonNull(mask, "mask");
    }

    /** Whether the field pixel (fx, fy) is part of the cell. */
    public boolean contains(int fx, int fy) {
        return mask.contains(fx - x, fy - y);
    }

    /** The cell's area in pixels, the part outside the image included. */
    public int area() {
        return mask.area();
    }

    /** The bounding box of the cell's pixels in field coordinates, not clamped to the image. */
    public Box box() {
        Box b = mask.bounds();
        return new Box(b.x() + x, b.y() + y, b.w(), b.h());
    }

    /** Number of field pixels inside both this cell and {@code other}. */
    public int overlap(CellFootprint other) {
        int x0 = Math.max(x, other.x);
        int y0 = Math.max(y, other.y);
        int x1 = Math.min(x + mask.width(), other.x + other.mask.width());
        int y1 = Math.min(y + mask.height(), other.y + other.mask.height());
        int n = 0;
        for (int fy = y0; fy < y1; fy++) {
            for (int fx = x0; fx < x1; fx++) {
                if (contains(fx, fy) && other.contains(fx, fy)) {
                    n++;
                }
            }
        }
        return n;
    }
}
