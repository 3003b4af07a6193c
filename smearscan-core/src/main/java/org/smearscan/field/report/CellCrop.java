package org.smearscan.field.report;

import java.awt.image.BufferedImage;
import org.smearscan.field.CellCall;
import org.smearscan.segment.Box;

/**
 * A cell as a person checks it: cut from the field with a margin of its surroundings and nothing masked,
 * unlike the classifier's crop (black outside the cell), since a microscopist judges a parasite by the stain
 * around it as well as inside.
 */
final class CellCrop {
    /** Margin around the cell's outline, as a share of its radius. */
    private static final double MARGIN = 0.3;

    private CellCrop() {}

    static BufferedImage crop(BufferedImage field, CellCall cell) {
        double r = cell.radius() * (1 + MARGIN);
        Box box = new Box((int) Math.floor(cell.centerX() - r), (int) Math.floor(cell.centerY() - r),
                (int) Math.ceil(2 * r), (int) Math.ceil(2 * r)).clampTo(field.getWidth(), field.getHeight());
        if (box == null) { // a circle wholly outside the field cannot come from the segmenter; keep its own box
            box = cell.box();
        }
        BufferedImage crop = new BufferedImage(box.w(), box.h(), BufferedImage.TYPE_INT_RGB);
        int[] pixels = field.getRGB(box.x(), box.y(), box.w(), box.h(), null, 0, box.w());
        crop.setRGB(0, 0, box.w(), box.h(), pixels, 0, box.w());
        return crop;
    }
}
