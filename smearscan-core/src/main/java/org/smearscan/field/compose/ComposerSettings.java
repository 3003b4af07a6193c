package org.smearscan.field.compose;

import java.awt.Color;

/**
 * What a {@link FieldComposer} was built with (see {@link FieldComposer.Builder}), the cell count resolved:
 * the field's size, its red cells and how they lie, the other objects per field, the colours.
 */
record ComposerSettings(
        CellSource source,
        int width,
        int height,
        double diameter,
        double spread,
        int cellCount,
        double touchingFraction,
        double maxOverlap,
        int whiteMin,
        int whiteMax,
        int plateletMin,
        int plateletMax,
        int debrisMin,
        int debrisMax,
        Color background,
        Color cellColor) {}
