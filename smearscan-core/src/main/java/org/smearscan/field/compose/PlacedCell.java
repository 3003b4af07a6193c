package org.smearscan.field.compose;

/** A red cell laid on the field: its stamp's top-left corner in field pixels. */
record PlacedCell(Stamp stamp, int x, int y, boolean infected) {

    /** Pixels shared by this cell's mask and the mask of the stamp {@code s} at (sx, sy). */
    int overlap(Stamp s, int sx, int sy) {
        Stamp t = stamp;
        int x0 = Math.max(sx + s.bx0, x + t.bx0);
        int x1 = Math.min(sx + s.bx1, x + t.bx1);
        int y0 = Math.max(sy + s.by0, y + t.by0);
        int y1 = Math.min(sy + s.by1, y + t.by1);
        int n = 0;
        for (int fy = y0; fy <= y1; fy++) {
            int rs = (fy - sy) * s.w - sx;
            int rt = (fy - y) * t.w - x;
            for (int fx = x0; fx <= x1; fx++) {
                if (s.mask[rs + fx] && t.mask[rt + fx]) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Whether this cell's mask comes within 1 px (8-neighbourhood) of the mask of the stamp {@code s} at (sx, sy). */
    boolean touches(Stamp s, int sx, int sy) {
        Stamp t = stamp;
        int x0 = Math.max(sx + s.bx0 - 1, x + t.bx0);
        int x1 = Math.min(sx + s.bx1 + 1, x + t.bx1);
        int y0 = Math.max(sy + s.by0 - 1, y + t.by0);
        int y1 = Math.min(sy + s.by1 + 1, y + t.by1);
        if (x0 > x1 || y0 > y1) {
            return false;
        }
        for (int i : s.near1) {
            int fx = sx + i % s.w;
            int fy = sy + i / s.w;
            if (fx >= x0 && fx <= x1 && fy >= y0 && fy <= y1 && t.mask[(fy - y) * t.w + fx - x]) {
                return true;
            }
        }
        return false;
    }
}
