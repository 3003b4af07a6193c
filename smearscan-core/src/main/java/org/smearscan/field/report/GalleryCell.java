package org.smearscan.field.report;

import java.util.Objects;

/**
 * A cell called infected, as the report's gallery shows it for a microscopist to confirm: its crop, its
 * probability and where it came from.
 *
 * @param slide       the slide of its field
 * @param field       its field's name
 * @param image       its crop, relative to the output folder
 * @param overlay     its field's overlay, relative to the output folder
 * @param probability the classifier's probability that it is parasitized
 */
public record GalleryCell(String slide, String field, String image, String overlay, double probability) {

    public GalleryCell {
        Objects.requireNonNull(slide, "slide");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(overlay, "overlay");
    }
}
