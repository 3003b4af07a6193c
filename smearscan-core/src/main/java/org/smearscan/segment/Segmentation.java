package org.smearscan.segment;

import java.util.List;

/**
 * A segmented field: the cells found, and the foreground they were cut from.
 *
 * @param cells        the red cells found
 * @param foreground   one byte per field pixel, non-zero where darker than the background
 * @param width        field width
 * @param height       field height
 * @param borderMargin the margin within which a cell is cut by the field's edge
 */
public record Segmentation(List<SegmentedCell> cells, byte[] foreground, int width, int height, int borderMargin) {

    public Segmentation {
        cells = List.copyOf(cells);
    }

    /**
     * The cell inside a box someone drew (an annotated cell the search missed), cut as a found cell is: the disc
     * inscribed in the box, limited to the foreground. Training crops of such cells then look like the crops
     * screening makes.
     */
    public SegmentedCell cellInBox(Box box) {
        Box inside = box.clampTo(width, height);
        if (inside == null) {
            throw new IllegalArgumentException("box " + box + " lies outside the " + width + " x " + height + " field");
        }
        double cx = box.centerX();
        double cy = box.centerY();
        double r = Math.max(box.w(), box.h()) / 2.0;
        byte[] mask = new byte[(int) inside.area()];
        for (int y = inside.y(); y < inside.bottom(); y++) {
            for (int x = inside.x(); x < inside.right(); x++) {
                double dx = x + 0.5 - cx;
                double dy = y + 0.5 - cy;
                if (dx * dx + dy * dy <= r * r && foreground[y * width + x] != 0) {
                    mask[(y - inside.y()) * inside.w() + (x - inside.x())] = 1;
                }
            }
        }
        return new SegmentedCell(inside, cx, cy, r, mask, inside.nearBorder(width, height, borderMargin));
    }
}
