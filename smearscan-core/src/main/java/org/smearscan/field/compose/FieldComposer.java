package org.smearscan.field.compose;

import java.awt.Color;
import java.util.Objects;
import java.util.Random;

/**
 * Composes thin-smear fields from single-cell crops, so that every red cell in them, and hence the parasitemia,
 * is known exactly: what real annotated fields, where not every cell is boxed, cannot give.
 *
 * <p>A field is a light background with low-frequency shading and noise; red cells (crops scaled to a diameter
 * drawn around the median, turned by quarter turns or flipped, recoloured towards the field's stain) are laid
 * on it, some apart and some touching or overlapping a neighbour, none losing more than {@code maxOverlap} of
 * its area to the others; a few white cells, platelets and specks of debris are added, which are not cells.
 *
 * <p>Colours are combined as light through a thin smear is: each object transmits a share of each channel, and
 * where two cells overlap the shares multiply, so an overlap is darker than either cell, as in real smears.
 * A cell's colour is the crop's, mapped per channel by the ratio of the target cell colour to the crop's median
 * (a von Kries map): relative intensities are kept, so a parasite stays dark purple against its cell.
 *
 * <p>Everything is drawn from one seed, in plain Java arithmetic ({@link StrictMath} for the transcendental
 * functions): the same seed gives the same images, byte for byte, on any JVM. Successive {@link #compose}
 * calls give successive, different fields of that seed's sequence.
 */
public final class FieldComposer {
    /** Layouts tried for one field before it is given up as too crowded. */
    private static final int LAYOUTS = 5;

    private final ComposerSettings settings;
    private final Random sequence;

    private FieldComposer(Builder b) {
        int cellCount = b.cellCount > 0 ? b.cellCount
                : Math.max(1, (int) Math.round(b.coverage * b.width * b.height / (Math.PI / 4 * b.diameter * b.diameter)));
        this.settings = new ComposerSettings(b.source, b.width, b.height, b.diameter, b.spread, cellCount,
                b.touchingFraction, b.maxOverlap, b.whiteMin, b.whiteMax, b.plateletMin, b.plateletMax, b.debrisMin,
                b.debrisMax, b.background, b.cellColor);
        this.sequence = new Random(b.seed);
    }

    /** A builder with the defaults of a real 1280 × 960 field; see {@link Builder}. */
    public static Builder builder(CellSource source) {
        return new Builder(source);
    }

    /** The number of red cells in every field this composer makes. */
    public int cellCount() {
        return settings.cellCount();
    }

    public int width() {
        return settings.width();
    }

    public int height() {
        return settings.height();
    }

    /**
     * The next field of this composer's sequence, with exactly {@code round(parasitemia × cellCount())}
     * infected cells (drawn from the source's infected crops), the rest uninfected.
     *
     * @param parasitemia the wanted share of infected cells, 0 to 1
     * @throws IllegalArgumentException when the parasitemia is outside [0, 1] or the source lacks a class needed
     * @throws IllegalStateException when the cells do not fit the field within the overlap allowed (in any of
     *     five layouts)
     */
    public ComposedField compose(double parasitemia) {
        if (!(parasitemia >= 0 && parasitemia <= 1)) {
            throw new IllegalArgumentException("parasitemia must be a fraction from 0 to 1, got " + parasitemia);
        }
        int cellCount = settings.cellCount();
        CellSource source = settings.source();
        int infected = (int) Math.round(parasitemia * cellCount);
        if (infected > 0 && source.infected().isEmpty()) {
            throw new IllegalArgumentException("a parasitemia of " + parasitemia + " needs " + infected
                    + " infected cells, but the cell source holds no infected crop");
        }
        if (infected < cellCount && source.uninfected().isEmpty()) {
            throw new IllegalArgumentException("a parasitemia of " + parasitemia + " needs " + (cellCount - infected)
                    + " uninfected cells, but the cell source holds no uninfected crop");
        }
        long fieldSeed;
        synchronized (sequence) {
            fieldSeed = sequence.nextLong();
        }
        // A layout can paint itself into a corner, most often in a small field; the next one, drawn from the
        // same seed, usually fits.
        Random layouts = new Random(fieldSeed);
        IllegalStateException last = null;
        for (int attempt = 0; attempt < LAYOUTS; attempt++) {
            try {
                return new Composition(settings, new Random(layouts.nextLong()), infected).run();
            } catch (IllegalStateException e) {
                last = e;
            }
        }
        throw new IllegalStateException(last.getMessage() + " (" + LAYOUTS + " layouts tried)", last);
    }

    /**
     * Settings of a {@link FieldComposer}. Defaults follow the IML-Malaria fields: 1280 × 960, red cells of
     * median diameter 79 px (±12%), as many as would cover 60% of the image (150 cells at the default size),
     * 40% of them meant to touch or overlap a neighbour (about 48% do, as crowding forces the last ones against
     * others), none losing more than 20% of its area, 0-2 white cells, 0-10 platelets and 0-5 specks of
     * debris, a light grey-green background (200, 215, 205) and mauve-grey cells (134, 122, 134).
     */
    public static final class Builder {
        private final CellSource source;
        private int width = 1280;
        private int height = 960;
        private double diameter = 79;
        private double spread = 0.12;
        private int cellCount;
        private double coverage = 0.6;
        private double touchingFraction = 0.4;
        private double maxOverlap = 0.2;
        private int whiteMin = 0;
        private int whiteMax = 2;
        private int plateletMin = 0;
        private int plateletMax = 10;
        private int debrisMin = 0;
        private int debrisMax = 5;
        private Color background = new Color(200, 215, 205);
        private Color cellColor = new Color(134, 122, 134);
        private long seed = 1;

        private Builder(CellSource source) {
            this.source = Objects.requireNonNull(source, "source");
        }

        /** The field's size in pixels; at least 32 × 32. */
        public Builder size(int width, int height) {
            if (width < 32 || height < 32) {
                throw new IllegalArgumentException("a field must be at least 32 x 32 pixels, got " + width + " x " + height);
            }
            this.width = width;
            this.height = height;
            return this;
        }

        /** The median red-cell diameter in pixels (the geometric mean of a cell's box width and height). */
        public Builder cellDiameter(double pixels) {
            if (!(pixels >= 8 && pixels <= 1000)) {
                throw new IllegalArgumentException("the cell diameter must be 8 to 1000 pixels, got " + pixels);
            }
            this.diameter = pixels;
            return this;
        }

        /** The spread of the diameters: the standard deviation of their logarithm, 0.12 for ±12%; 0 to 0.3. */
        public Builder diameterSpread(double spread) {
            if (!(spread >= 0 && spread <= 0.3)) {
                throw new IllegalArgumentException("the diameter spread must be 0 to 0.3, got " + spread);
            }
            this.spread = spread;
            return this;
        }

        /** Exactly this many red cells per field, instead of a number derived from {@link #coverage}. */
        public Builder cellCount(int cells) {
            if (cells < 1) {
                throw new IllegalArgumentException("a field needs at least one cell, got " + cells);
            }
            this.cellCount = cells;
            return this;
        }

        /**
         * As many cells as would cover this share of the image as discs of the median diameter, if none
         * overlapped; used unless {@link #cellCount} is set. 0.01 to 0.8.
         */
        public Builder coverage(double share) {
            if (!(share >= 0.01 && share <= 0.8)) {
                throw new IllegalArgumentException("the coverage must be 0.01 to 0.8, got " + share);
            }
            this.coverage = share;
            this.cellCount = 0;
            return this;
        }

        /**
         * The share of cells that should touch or overlap at least one other cell, 0 to 1. A target: in a
         * crowded field, cells that find no free room are laid against a neighbour, so more may touch (about
         * 0.48 for 0.4 at 150 cells, 0.67 at 175, 0.87 at 200).
         */
        public Builder touchingFraction(double share) {
            if (!(share >= 0 && share <= 1)) {
                throw new IllegalArgumentException("the touching fraction must be 0 to 1, got " + share);
            }
            this.touchingFraction = share;
            return this;
        }

        /** The most of its area a cell may share with the other cells together, 0 to 0.5. */
        public Builder maxOverlap(double share) {
            if (!(share >= 0 && share <= 0.5)) {
                throw new IllegalArgumentException("the maximum overlap must be 0 to 0.5, got " + share);
            }
            this.maxOverlap = share;
            return this;
        }

        /** White cells per field, drawn uniformly from min to max. */
        public Builder whiteCells(int min, int max) {
            checkRange("white cells", min, max);
            this.whiteMin = min;
            this.whiteMax = max;
            return this;
        }

        /** Platelets (small purple blobs) per field, drawn uniformly from min to max. */
        public Builder platelets(int min, int max) {
            checkRange("platelets", min, max);
            this.plateletMin = min;
            this.plateletMax = max;
            return this;
        }

        /** Specks of debris (small irregular grey blobs) per field, drawn uniformly from min to max. */
        public Builder debris(int min, int max) {
            checkRange("debris", min, max);
            this.debrisMin = min;
            this.debrisMax = max;
            return this;
        }

        /** The background's mean colour. */
        public Builder background(Color color) {
            this.background = Objects.requireNonNull(color, "color");
            return this;
        }

        /** The red cells' mean colour, which each crop's median colour is mapped to (with a little jitter). */
        public Builder cellColor(Color color) {
            this.cellColor = Objects.requireNonNull(color, "color");
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public FieldComposer build() {
            return new FieldComposer(this);
        }

        private static void checkRange(String what, int min, int max) {
            if (min < 0 || max < min || max > 1000) {
                throw new IllegalArgumentException("the number of " + what + " must be a range 0 <= min <= max <= 1000, got "
                        + min + " to " + max);
            }
        }
    }
}
