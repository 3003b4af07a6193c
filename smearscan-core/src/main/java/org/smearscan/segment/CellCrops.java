package org.smearscan.segment;

import java.awt.image.BufferedImage;

/**
 * A segmented cell as the classifier sees it: its box cut from the field, pixels outside its mask black, as
 * the NIH single-cell crops were made.
 */
public final class CellCrops {
    private CellCrops() {}

    public static BufferedImage crop(BufferedImage field, SegmentedCell cell) {
        return crop(field, cell, null);
    }

    /** The crop with its cell's colours normalised ({@code stain} null: as photographed). */
    public static BufferedImage crop(BufferedImage field, SegmentedCell cell, StainNormalization stain) {
        Box box = cell.box();
        BufferedImage crop = new BufferedImage(box.w(), box.h(), BufferedImage.TYPE_INT_RGB);
        int[] row = new int[box.w()];
        for (int dy = 0; dy < box.h(); dy++) {
            field.getRGB(box.x(), box.y() + dy, box.w(), 1, row, 0, box.w());
            for (int dx = 0; dx < box.w(); dx++) {
                if (cell.mask()[dy * box.w() + dx] == 0) {
                    row[dx] = 0;
                } else if (stain != null) {
                    row[dx] = stain.apply(row[dx]); // never black: black means "not the cell"
                }
            }
            crop.setRGB(0, dy, box.w(), 1, row, 0, box.w());
        }
        return crop;
    }
}
