package org.smearscan.field.compose;

import java.awt.image.BufferedImage;
import java.util.Objects;

/**
 * One red cell to paste into a composed field: its picture (the cell on black, as the NIH crops are), whether
 * it is infected, and which of its pixels are the cell.
 *
 * @param image the crop, any colour model (read as RGB)
 * @param infected whether the cell is parasitized
 * @param mask the cell's pixels, the size of the image and not empty
 */
public record CellCrop(BufferedImage image, boolean infected, CellMask mask) {

    public CellCrop {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(mask, "mask");
        if (mask.width() != image.getWidth() || mask.height() != image.getHeight()) {
            throw new IllegalArgumentException("the mask is " + mask.width() + " x " + mask.height()
                    + " but the image " + image.getWidth() + " x " + image.getHeight());
        }
        if (mask.area() == 0) {
            throw new IllegalArgumentException("the crop holds no cell: no pixel is brighter than the black background");
        }
    }

    /** A crop whose mask is derived from the picture ({@link CellMask#of(BufferedImage)}). */
    public CellCrop(BufferedImage image, boolean infected) {
        this(image, infected, CellMask.of(Objects.requireNonNull(image, "image")));
    }
}
