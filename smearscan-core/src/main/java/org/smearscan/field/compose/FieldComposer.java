package org.smearscan.field.compose;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.smearscan.field.truth.AnnotatedCell;
import org.smearscan.field.truth.CellType;
import org.smearscan.segment.Box;

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
    /** How far a cell may reach past the image's edge: this share of its width (or height). */
    static final double MAX_OUTSIDE = 0.35;
    /** Free cells keep at least this many pixels from every other object. */
    private static final int GAP = 2;
    /** Empty pixels around every stamp: room for the gap and for the soft edge. */
    private static final int PAD = GAP + 2;
    private static final int FREE_TRIES = 200;
    /** The side of the blocks of the distance map, in pixels. */
    private static final int BLOCK = 4;
    private static final int TOUCH_TRIES = 400;
    /** Touching tries against a random cell from a random side, before the holes are looked for. */
    private static final int RANDOM_TOUCH_TRIES = 20;
    private static final int BLOB_TRIES = 60;
    /** Layouts tried for one field before it is given up as too crowded. */
    private static final int LAYOUTS = 5;
    /** Pixels trimmed off the edge of a crop's mask before it is pasted (see CropStamps#trimmed). */
    private static final int RIM = 3;

    private final CellSource source;
    private final int width;
    private final int height;
    private final double diameter;
    private final double spread;
    private final int cellCount;
    private final double touchingFraction;
    private final double maxOverlap;
    private final int whiteMin;
    private final int whiteMax;
    private final int plateletMin;
    private final int plateletMax;
    private final int debrisMin;
    private final int debrisMax;
    private final Color background;
    private final Color cellColor;
    private final Random sequence;

    private FieldComposer(Builder b) {
        this.source = b.source;
        this.width = b.width;
        this.height = b.height;
        this.diameter = b.diameter;
        this.spread = b.spread;
        this.cellCount = b.cellCount > 0 ? b.cellCount
                : Math.max(1, (int) Math.round(b.coverage * b.width * b.height / (Math.PI / 4 * b.diameter * b.diameter)));
        this.touchingFraction = b.touchingFraction;
        this.maxOverlap = b.maxOverlap;
        this.whiteMin = b.whiteMin;
        this.whiteMax = b.whiteMax;
        this.plateletMin = b.plateletMin;
        this.plateletMax = b.plateletMax;
        this.debrisMin = b.debrisMin;
        this.debrisMax = b.debrisMax;
        this.background = b.background;
        this.cellColor = b.cellColor;
        this.sequence = new Random(b.seed);
    }

    /** A builder with the defaults of a real 1280 × 960 field; see {@link Builder}. */
    public static Builder builder(CellSource source) {
        return new Builder(source);
    }

    /** The number of red cells in every field this composer makes. */
    public int cellCount() {
        return cellCount;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
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
                return new Composition(new Random(layouts.nextLong()), infected).run();
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

    /** A picture ready to lay on the field: transmittance, soft alpha and binary mask, with {@link #PAD} around. */
    private static final class Stamp {
        final int w;
        final int h;
        /** Per pixel and channel, the share of light let through where the object fully covers the pixel. */
        final float[] tr;
        final float[] tg;
        final float[] tb;
        final float[] alpha;
        final boolean[] mask;
        /** Indices of the mask's pixels; of those within 1 px of it (it included); within GAP px of it. */
        int[] inside;
        int[] near1;
        int[] nearGap;
        /** A sparse sample of {@link #nearGap}, checked first: most spots in a crowded field fail on it. */
        int[] probe;
        /** The same lists as offsets into a map of another row length (see {@link #locate}). */
        int[] insideAt;
        int[] near1At;
        int[] nearGapAt;
        int[] probeAt;
        int area;
        int bx0;
        int by0;
        int bx1;
        int by1;
        double cx;
        double cy;
        double reach;

        Stamp(int w, int h) {
            this.w = w;
            this.h = h;
            tr = new float[w * h];
            tg = new float[w * h];
            tb = new float[w * h];
            alpha = new float[w * h];
            mask = new boolean[w * h];
        }

        /** Derives the index lists, bounds, centroid and reach from {@link #mask}. */
        void index() {
            int n = 0;
            bx0 = w;
            by0 = h;
            bx1 = -1;
            by1 = -1;
            double sx = 0;
            double sy = 0;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    if (mask[y * w + x]) {
                        n++;
                        sx += x;
                        sy += y;
                        bx0 = Math.min(bx0, x);
                        bx1 = Math.max(bx1, x);
                        by0 = Math.min(by0, y);
                        by1 = Math.max(by1, y);
                    }
                }
            }
            area = n;
            cx = sx / n;
            cy = sy / n;
            inside = new int[n];
            int k = 0;
            double r2 = 0;
            for (int i = 0; i < mask.length; i++) {
                if (mask[i]) {
                    inside[k++] = i;
                    double dx = i % w - cx;
                    double dy = i / w - cy;
                    r2 = Math.max(r2, dx * dx + dy * dy);
                }
            }
            reach = Math.sqrt(r2) + 1;
            near1 = dilated(1);
            nearGap = dilated(GAP);
            int stride = Math.max(1, nearGap.length / 48);
            probe = new int[(nearGap.length + stride - 1) / stride];
            for (int i = 0, j = 0; j < probe.length; i += stride, j++) {
                probe[j] = nearGap[i];
            }
        }

        /** Computes the {@code ...At} offsets for a map whose rows are {@code stride} pixels long. */
        Stamp locate(int stride) {
            insideAt = offsets(inside, stride);
            near1At = offsets(near1, stride);
            nearGapAt = offsets(nearGap, stride);
            probeAt = offsets(probe, stride);
            return this;
        }

        private int[] offsets(int[] indices, int stride) {
            int[] out = new int[indices.length];
            for (int k = 0; k < indices.length; k++) {
                out[k] = indices[k] / w * stride + indices[k] % w;
            }
            return out;
        }

        /** The mask grown by r pixels (a square neighbourhood), from its boundary pixels. */
        private int[] dilated(int r) {
            boolean[] d = mask.clone();
            for (int i : inside) {
                int x = i % w;
                int y = i / w;
                boolean edge = x == 0 || y == 0 || x == w - 1 || y == h - 1
                        || !mask[i - 1] || !mask[i + 1] || !mask[i - w] || !mask[i + w];
                if (!edge) {
                    continue;
                }
                for (int yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy++) {
                    for (int xx = Math.max(0, x - r); xx <= Math.min(w - 1, x + r); xx++) {
                        d[yy * w + xx] = true;
                    }
                }
            }
            int n = 0;
            for (boolean b : d) {
                n += b ? 1 : 0;
            }
            int[] out = new int[n];
            int k = 0;
            for (int i = 0; i < d.length; i++) {
                if (d[i]) {
                    out[k++] = i;
                }
            }
            return out;
        }
    }

    /** A red cell laid on the field: its stamp's top-left corner in field pixels. */
    private record Placed(Stamp stamp, int x, int y, boolean infected) {}

    /** One field's working state. */
    private final class Composition {
        private final Random rnd;
        private final int infected;
        /** The occupancy map, with a margin around the image: 0 free, -1 not a red cell, k + 1 red cell k. */
        private final int margin;
        private final int ew;
        private final int eh;
        private final int[] owner;
        /** Transmittance of the whole smear per image pixel and channel. */
        private final float[] tr;
        private final float[] tg;
        private final float[] tb;
        /** Blocks of the occupancy map holding an occupied pixel, for the distance map. */
        private final int gw;
        private final int gh;
        private final boolean[] occupiedBlock;
        private float[] distanceCache;
        private final List<Placed> cells = new ArrayList<>();
        /** Crops read into arrays, by identity (a record's equality would compare the pictures' identities too). */
        private final IdentityHashMap<CellCrop, CropStamps.Prepared> prepared = new IdentityHashMap<>();
        private final List<Integer> used = new ArrayList<>();
        private final List<Boolean> touching = new ArrayList<>();
        private int touchingCount;

        Composition(Random rnd, int infected) {
            this.rnd = rnd;
            this.infected = infected;
            this.margin = (int) Math.ceil(diameter * (1 + 3 * spread) * 1.7) + 2 * PAD;
            this.ew = width + 2 * margin;
            this.eh = height + 2 * margin;
            this.owner = new int[ew * eh];
            this.gw = (ew + BLOCK - 1) / BLOCK;
            this.gh = (eh + BLOCK - 1) / BLOCK;
            this.occupiedBlock = new boolean[gw * gh];
            this.tr = new float[width * height];
            this.tg = new float[width * height];
            this.tb = new float[width * height];
            Arrays.fill(tr, 1f);
            Arrays.fill(tg, 1f);
            Arrays.fill(tb, 1f);
        }

        ComposedField run() {
            int whites = between(whiteMin, whiteMax);
            int platelets = between(plateletMin, plateletMax);
            int debris = between(debrisMin, debrisMax);
            for (int i = 0; i < whites; i++) {
                placeWhiteCell();
            }
            List<Boolean> kinds = new ArrayList<>();
            for (int i = 0; i < cellCount; i++) {
                kinds.add(i < infected);
            }
            Collections.shuffle(kinds, rnd);
            CropDeck infectedDeck = new CropDeck(source.infected());
            CropDeck uninfectedDeck = new CropDeck(source.uninfected());
            for (int i = 0; i < cellCount; i++) {
                boolean inf = kinds.get(i);
                Stamp stamp = cellStamp(inf ? infectedDeck.next() : uninfectedDeck.next());
                if (!placeCell(stamp, inf)) {
                    throw new IllegalStateException("could place only " + i + " of " + cellCount + " cells in a "
                            + width + " x " + height + " field (median diameter " + diameter + " px, at most "
                            + Math.round(100 * maxOverlap) + "% overlap): ask for fewer cells or smaller ones");
                }
            }
            for (int i = 0; i < platelets; i++) {
                placeBlob(plateletStamp());
            }
            for (int i = 0; i < debris; i++) {
                placeBlob(debrisStamp());
            }
            for (Placed p : cells) {
                paint(p.stamp, p.x, p.y);
            }
            BufferedImage image = render();
            List<AnnotatedCell> truth = new ArrayList<>();
            List<CellFootprint> footprints = new ArrayList<>();
            for (Placed p : cells) {
                Stamp s = p.stamp;
                Box box = new Box(p.x + s.bx0, p.y + s.by0, s.bx1 - s.bx0 + 1, s.by1 - s.by0 + 1).clampTo(width, height);
                truth.add(new AnnotatedCell(box, p.infected ? CellType.INFECTED : CellType.UNINFECTED));
                footprints.add(new CellFootprint(p.x, p.y, CellMask.of(s.w, s.h, s.mask)));
            }
            return new ComposedField(image, truth, (double) infected / cellCount, footprints);
        }

        private int between(int min, int max) {
            return min + rnd.nextInt(max - min + 1);
        }

        /** Crops of one class in a shuffled order, dealt round and round. */
        private final class CropDeck {
            private final List<CellCrop> order;
            private int next;

            CropDeck(List<CellCrop> crops) {
                order = new ArrayList<>(crops);
                Collections.shuffle(order, rnd);
            }

            CellCrop next() {
                if (next == order.size()) {
                    Collections.shuffle(order, rnd);
                    next = 0;
                }
                return order.get(next++);
            }
        }

        // ---- red cells ----

        private Stamp cellStamp(CellCrop crop) {
            double d = diameter * StrictMath.exp(spread * clamp(rnd.nextGaussian(), -2.5, 2.5));
            int turns = rnd.nextInt(4);
            boolean flip = rnd.nextBoolean();
            double shade = 1 + 0.04 * clamp(rnd.nextGaussian(), -2.5, 2.5);
            double[] target = {
                cellColor.getRed() * shade * (1 + 0.015 * clamp(rnd.nextGaussian(), -2.5, 2.5)),
                cellColor.getGreen() * shade * (1 + 0.015 * clamp(rnd.nextGaussian(), -2.5, 2.5)),
                cellColor.getBlue() * shade * (1 + 0.015 * clamp(rnd.nextGaussian(), -2.5, 2.5)),
            };
            return CropStamps.make(prepared.computeIfAbsent(crop, CropStamps::prepare), d, turns, flip, target, background)
                    .locate(ew);
        }

        /** Lays a red cell: apart from the others or against one, as the touching target asks. */
        private boolean placeCell(Stamp s, boolean inf) {
            int k = cells.size();
            boolean wantTouch = k > 0 && touchingCount < touchingFraction * (k + 1);
            if (!wantTouch && placeFree(s, inf)) {
                return true;
            }
            return placeTouching(s, inf) || (wantTouch && placeFree(s, inf));
        }

        private boolean placeFree(Stamp s, boolean inf) {
            int bw = s.bx1 - s.bx0 + 1;
            int bh = s.by1 - s.by0 + 1;
            int outX = (int) Math.floor(MAX_OUTSIDE * bw);
            int outY = (int) Math.floor(MAX_OUTSIDE * bh);
            int loX = -outX - s.bx0;
            int hiX = width - bw + outX - s.bx0;
            int loY = -outY - s.by0;
            int hiY = height - bh + outY - s.by0;
            if (hiX < loX || hiY < loY) {
                return false;
            }
            for (int t = 0; t < FREE_TRIES; t++) {
                int x = loX + rnd.nextInt(hiX - loX + 1);
                int y = loY + rnd.nextInt(hiY - loY + 1);
                if (allFree(s, s.probeAt, x, y) && allFree(s, s.nearGapAt, x, y)) {
                    accept(s, x, y, inf);
                    return true;
                }
            }
            // A crowded field: look for the room left with the distance map rather than by chance.
            int[] spots = blocksAtLeast(s, s.reach + 1.5 * GAP + 1.5 * BLOCK);
            for (int t = 0; t < Math.min(spots.length, FREE_TRIES); t++) {
                int[] xy = spotPosition(s, spots[rnd.nextInt(spots.length)]);
                if (allFree(s, s.nearGapAt, xy[0], xy[1])) {
                    accept(s, xy[0], xy[1], inf);
                    return true;
                }
            }
            return false;
        }

        /**
         * Lays the cell against another, approaching it from a random side or, once the field fills, from a
         * hole next to it; it may sink into the neighbour as far as the overlap allowed lets it.
         */
        private boolean placeTouching(Stamp s, boolean inf) {
            if (cells.isEmpty()) {
                return false;
            }
            int[] holes = null;
            for (int t = 0; t < TOUCH_TRIES; t++) {
                Placed anchor;
                double angle;
                if (t < RANDOM_TOUCH_TRIES) {
                    anchor = anchor();
                    angle = 2 * Math.PI * rnd.nextDouble();
                } else {
                    if (holes == null) {
                        holes = blocksAtLeast(s, Math.max(BLOCK, 0.3 * s.reach));
                    }
                    if (holes.length == 0) {
                        return false;
                    }
                    int[] xy = spotPosition(s, holes[rnd.nextInt(holes.length)]);
                    double hx = xy[0] + s.cx;
                    double hy = xy[1] + s.cy;
                    anchor = nearest(hx, hy);
                    angle = StrictMath.atan2(hy - anchor.y - anchor.stamp.cy, hx - anchor.x - anchor.stamp.cx);
                }
                if (touchAlong(s, inf, anchor, angle)) {
                    return true;
                }
            }
            return false;
        }

        /**
         * Moves the cell towards the anchor from beyond its reach along {@code angle} and lays it at the first
         * position where it touches a cell within the overlap allowed, sunk in a little further half the time.
         */
        private boolean touchAlong(Stamp s, boolean inf, Placed anchor, double angle) {
            double ux = StrictMath.cos(angle);
            double uy = StrictMath.sin(angle);
            double ax = anchor.x + anchor.stamp.cx;
            double ay = anchor.y + anchor.stamp.cy;
            for (double dist = anchor.stamp.reach + s.reach + 2; dist > 0; dist -= 1) {
                int x = (int) Math.round(ax + dist * ux - s.cx);
                int y = (int) Math.round(ay + dist * uy - s.cy);
                if (!inBounds(s, x, y) || allFree(s, s.near1At, x, y) || !overlapAllowed(s, x, y)) {
                    continue;
                }
                double depth = rnd.nextBoolean() ? rnd.nextDouble() * 0.4 * Math.min(s.reach, anchor.stamp.reach) : 0;
                while (depth >= 1) {
                    int dx = (int) Math.round(ax + (dist - depth) * ux - s.cx);
                    int dy = (int) Math.round(ay + (dist - depth) * uy - s.cy);
                    if (inBounds(s, dx, dy) && overlapAllowed(s, dx, dy)) {
                        accept(s, dx, dy, inf);
                        return true;
                    }
                    depth /= 2;
                }
                accept(s, x, y, inf);
                return true;
            }
            return false;
        }

        /**
         * The blocks of the distance map at least {@code distance} pixels from every occupied one, where the
         * stamp could be centred within the bounds allowed.
         */
        private int[] blocksAtLeast(Stamp s, double distance) {
            float[] dist = distances();
            int[] out = new int[dist.length];
            int n = 0;
            for (int i = 0; i < dist.length; i++) {
                if (dist[i] >= distance) {
                    int[] xy = spotPosition(s, i);
                    if (inBounds(s, xy[0], xy[1])) {
                        out[n++] = i;
                    }
                }
            }
            return Arrays.copyOf(out, n);
        }

        /** The stamp's top-left corner that puts its centroid in the middle of a block of the distance map. */
        private int[] spotPosition(Stamp s, int block) {
            double cx = (block % gw + 0.5) * BLOCK - margin;
            double cy = (block / gw + 0.5) * BLOCK - margin;
            return new int[] {(int) Math.round(cx - s.cx), (int) Math.round(cy - s.cy)};
        }

        /**
         * A random cell to lay the next one against: one that touches nothing yet when the touching target needs
         * two more touching cells (the new one and its anchor), else one already touching (the clump grows).
         */
        private Placed anchor() {
            boolean wantLone = touchingFraction * (cells.size() + 1) - touchingCount >= 2;
            List<Integer> pool = new ArrayList<>();
            for (int j = 0; j < cells.size(); j++) {
                if (touching.get(j) != wantLone) {
                    pool.add(j);
                }
            }
            return cells.get(pool.isEmpty() ? rnd.nextInt(cells.size()) : pool.get(rnd.nextInt(pool.size())));
        }

        private Placed nearest(double x, double y) {
            Placed best = null;
            double bestD = Double.MAX_VALUE;
            for (Placed p : cells) {
                double dx = p.x + p.stamp.cx - x;
                double dy = p.y + p.stamp.cy - y;
                double d = dx * dx + dy * dy;
                if (d < bestD) {
                    bestD = d;
                    best = p;
                }
            }
            return best;
        }

        /**
         * For each block of {@link #BLOCK} × {@link #BLOCK} pixels, the distance in pixels from its middle to the
         * middle of the nearest block holding an occupied pixel (Felzenszwalb and Huttenlocher's exact
         * transform); cached until the next object is laid.
         */
        private float[] distances() {
            if (distanceCache != null) {
                return distanceCache;
            }
            float[] d = squaredDistances(occupiedBlock, gw, gh);
            for (int i = 0; i < d.length; i++) {
                d[i] = (float) (Math.sqrt(d[i]) * BLOCK);
            }
            distanceCache = d;
            return d;
        }

        /** Whether the cell's box stays within {@link #MAX_OUTSIDE} of its size from the image. */
        private boolean inBounds(Stamp s, int x, int y) {
            int bw = s.bx1 - s.bx0 + 1;
            int bh = s.by1 - s.by0 + 1;
            int left = x + s.bx0;
            int top = y + s.by0;
            return left >= -Math.floor(MAX_OUTSIDE * bw) && left + bw <= width + Math.floor(MAX_OUTSIDE * bw)
                    && top >= -Math.floor(MAX_OUTSIDE * bh) && top + bh <= height + Math.floor(MAX_OUTSIDE * bh);
        }

        /** Whether every pixel of {@code offsets} (one of the stamp's located lists) at (x, y) is unoccupied. */
        private boolean allFree(Stamp s, int[] offsets, int x, int y) {
            int ox = x + margin;
            int oy = y + margin;
            if (ox < 0 || oy < 0 || ox + s.w > ew || oy + s.h > eh) {
                return false;
            }
            int base = oy * ew + ox;
            for (int o : offsets) {
                if (owner[base + o] != 0) {
                    return false;
                }
            }
            return true;
        }

        /**
         * Whether the cell at (x, y) covers nothing but red cells, and neither it nor any of them then shares
         * more than {@code maxOverlap} of its area with the others.
         */
        private boolean overlapAllowed(Stamp s, int x, int y) {
            int ox = x + margin;
            int oy = y + margin;
            if (ox < 0 || oy < 0 || ox + s.w > ew || oy + s.h > eh) {
                return false;
            }
            double ownBudget = maxOverlap * s.area;
            int covered = 0;
            int base = oy * ew + ox;
            for (int at : s.insideAt) {
                int o = owner[base + at];
                if (o < 0) {
                    return false;
                }
                if (o > 0 && ++covered > ownBudget) {
                    return false; // each covered pixel is shared with at least one cell
                }
            }
            int total = 0;
            for (int j = 0; j < cells.size(); j++) {
                int o = overlap(s, x, y, cells.get(j));
                if (o == 0) {
                    continue;
                }
                total += o;
                if (total > ownBudget || used.get(j) + o > maxOverlap * cells.get(j).stamp.area) {
                    return false;
                }
            }
            return true;
        }

        private void accept(Stamp s, int x, int y, boolean inf) {
            int k = cells.size();
            Placed placed = new Placed(s, x, y, inf);
            boolean touches = false;
            int own = 0;
            for (int j = 0; j < k; j++) {
                Placed other = cells.get(j);
                int o = overlap(s, x, y, other);
                if (o > 0) {
                    used.set(j, used.get(j) + o);
                    own += o;
                }
                if (o > 0 || touches(s, x, y, other)) {
                    touches = true;
                    if (!touching.get(j)) {
                        touching.set(j, true);
                        touchingCount++;
                    }
                }
            }
            cells.add(placed);
            used.add(own);
            touching.add(touches);
            if (touches) {
                touchingCount++;
            }
            mark(s, x, y, k + 1);
        }

        /** Pixels shared by the mask of the stamp at (x, y) and a placed cell's mask. */
        private int overlap(Stamp s, int x, int y, Placed p) {
            Stamp t = p.stamp;
            int x0 = Math.max(x + s.bx0, p.x + t.bx0);
            int x1 = Math.min(x + s.bx1, p.x + t.bx1);
            int y0 = Math.max(y + s.by0, p.y + t.by0);
            int y1 = Math.min(y + s.by1, p.y + t.by1);
            int n = 0;
            for (int fy = y0; fy <= y1; fy++) {
                int rs = (fy - y) * s.w - x;
                int rt = (fy - p.y) * t.w - p.x;
                for (int fx = x0; fx <= x1; fx++) {
                    if (s.mask[rs + fx] && t.mask[rt + fx]) {
                        n++;
                    }
                }
            }
            return n;
        }

        /** Whether a placed cell's mask comes within 1 px (8-neighbourhood) of the stamp's mask at (x, y). */
        private boolean touches(Stamp s, int x, int y, Placed p) {
            Stamp t = p.stamp;
            int x0 = Math.max(x + s.bx0 - 1, p.x + t.bx0);
            int x1 = Math.min(x + s.bx1 + 1, p.x + t.bx1);
            int y0 = Math.max(y + s.by0 - 1, p.y + t.by0);
            int y1 = Math.min(y + s.by1 + 1, p.y + t.by1);
            if (x0 > x1 || y0 > y1) {
                return false;
            }
            for (int i : s.near1) {
                int fx = x + i % s.w;
                int fy = y + i / s.w;
                if (fx >= x0 && fx <= x1 && fy >= y0 && fy <= y1 && t.mask[(fy - p.y) * t.w + fx - p.x]) {
                    return true;
                }
            }
            return false;
        }

        /** Claims the stamp's mask pixels in the occupancy map (first claim wins). */
        private void mark(Stamp s, int x, int y, int id) {
            int ox = x + margin;
            int oy = y + margin;
            int base = oy * ew + ox;
            for (int at : s.insideAt) {
                int e = base + at;
                if (owner[e] == 0) {
                    owner[e] = id;
                }
                occupiedBlock[(e / ew / BLOCK) * gw + (e % ew) / BLOCK] = true;
            }
            distanceCache = null;
        }

        // ---- white cells, platelets, debris ----

        private void placeWhiteCell() {
            Stamp s = Blobs.whiteCell(rnd, diameter * (1.3 + 0.3 * rnd.nextDouble()), background).locate(ew);
            for (int t = 0; t < BLOB_TRIES; t++) {
                double r = s.reach;
                int cx = (int) Math.round(0.6 * r + rnd.nextDouble() * Math.max(0, width - 1.2 * r));
                int cy = (int) Math.round(0.6 * r + rnd.nextDouble() * Math.max(0, height - 1.2 * r));
                int x = (int) Math.round(cx - s.cx);
                int y = (int) Math.round(cy - s.cy);
                if (allFree(s, s.nearGapAt, x, y)) {
                    mark(s, x, y, -1);
                    paint(s, x, y);
                    return;
                }
            }
        }

        /** Lays a platelet or speck on free background, apart from everything; skipped when there is no room. */
        private void placeBlob(Stamp blob) {
            Stamp s = blob.locate(ew);
            int bw = s.bx1 - s.bx0 + 1;
            int bh = s.by1 - s.by0 + 1;
            for (int t = 0; t < BLOB_TRIES; t++) {
                int x = rnd.nextInt(Math.max(1, width - bw)) - s.bx0;
                int y = rnd.nextInt(Math.max(1, height - bh)) - s.by0;
                if (allFree(s, s.nearGapAt, x, y)) {
                    mark(s, x, y, -1);
                    paint(s, x, y);
                    return;
                }
            }
        }

        private Stamp plateletStamp() {
            return Blobs.platelet(rnd, 6 + 9 * rnd.nextDouble(), background);
        }

        private Stamp debrisStamp() {
            return Blobs.debris(rnd, 3 + 7 * rnd.nextDouble(), background);
        }

        // ---- rendering ----

        /** Multiplies the stamp's transmittance, weighted by its soft alpha, into the field's. */
        private void paint(Stamp s, int x, int y) {
            int x0 = Math.max(0, x);
            int y0 = Math.max(0, y);
            int x1 = Math.min(width, x + s.w);
            int y1 = Math.min(height, y + s.h);
            for (int fy = y0; fy < y1; fy++) {
                for (int fx = x0; fx < x1; fx++) {
                    int i = (fy - y) * s.w + fx - x;
                    float a = s.alpha[i];
                    if (a <= 0) {
                        continue;
                    }
                    int f = fy * width + fx;
                    tr[f] *= 1 - a * (1 - s.tr[i]);
                    tg[f] *= 1 - a * (1 - s.tg[i]);
                    tb[f] *= 1 - a * (1 - s.tb[i]);
                }
            }
        }

        /** Background with low-frequency shading, times the smear's transmittance, plus noise. */
        private BufferedImage render() {
            float[] shading = Shading.field(rnd, width, height);
            double[] tint = {1 + 0.015 * clamp(rnd.nextGaussian(), -2.5, 2.5),
                1 + 0.015 * clamp(rnd.nextGaussian(), -2.5, 2.5), 1 + 0.015 * clamp(rnd.nextGaussian(), -2.5, 2.5)};
            float br = (float) (background.getRed() * tint[0]);
            float bg = (float) (background.getGreen() * tint[1]);
            float bb = (float) (background.getBlue() * tint[2]);
            int[] rgb = new int[width * height];
            for (int i = 0; i < rgb.length; i++) {
                long bits = rnd.nextLong();
                float s = shading[i];
                int r = toByte(br * s * tr[i] + Shading.noise(bits));
                int g = toByte(bg * s * tg[i] + Shading.noise(bits >>> 21));
                int b = toByte(bb * s * tb[i] + Shading.noise(bits >>> 42));
                rgb[i] = r << 16 | g << 8 | b;
            }
            BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            System.arraycopy(rgb, 0, ((DataBufferInt) image.getRaster().getDataBuffer()).getData(), 0, rgb.length);
            return image;
        }
    }

    /**
     * For each pixel of a w × h grid, the squared Euclidean distance to the nearest pixel where {@code zeroAt}
     * is set (a large number when none is), by Felzenszwalb and Huttenlocher's exact transform.
     */
    static float[] squaredDistances(boolean[] zeroAt, int w, int h) {
        float[] d = new float[w * h];
        for (int i = 0; i < d.length; i++) {
            d[i] = zeroAt[i] ? 0 : 1e20f;
        }
        int n = Math.max(w, h);
        float[] f = new float[n];
        float[] out = new float[n];
        int[] v = new int[n];
        float[] z = new float[n + 1];
        for (int y = 0; y < h; y++) {
            System.arraycopy(d, y * w, f, 0, w);
            edt(f, w, out, v, z);
            System.arraycopy(out, 0, d, y * w, w);
        }
        for (int x = 0; x < w; x++) {
            for (int y = 0; y < h; y++) {
                f[y] = d[y * w + x];
            }
            edt(f, h, out, v, z);
            for (int y = 0; y < h; y++) {
                d[y * w + x] = out[y];
            }
        }
        return d;
    }

    /** The squared distance transform of a sampled function, in one dimension (Felzenszwalb & Huttenlocher 2012). */
    private static void edt(float[] f, int n, float[] d, int[] v, float[] z) {
        int k = 0;
        v[0] = 0;
        z[0] = Float.NEGATIVE_INFINITY;
        z[1] = Float.POSITIVE_INFINITY;
        for (int q = 1; q < n; q++) {
            float s = ((f[q] + q * q) - (f[v[k]] + v[k] * v[k])) / (2f * q - 2f * v[k]);
            while (s <= z[k]) {
                k--;
                s = ((f[q] + q * q) - (f[v[k]] + v[k] * v[k])) / (2f * q - 2f * v[k]);
            }
            k++;
            v[k] = q;
            z[k] = s;
            z[k + 1] = Float.POSITIVE_INFINITY;
        }
        k = 0;
        for (int q = 0; q < n; q++) {
            while (z[k + 1] < q) {
                k++;
            }
            float dq = q - v[k];
            d[q] = dq * dq + f[v[k]];
        }
    }

    private static int toByte(float v) {
        int i = Math.round(v);
        return i < 0 ? 0 : Math.min(255, i);
    }

    static double clamp(double v, double lo, double hi) {
        return v < lo ? lo : Math.min(hi, v);
    }

    /** Turning crops into stamps: scale, quarter turns and flip, recolour, soft edge. */
    private static final class CropStamps {
        private CropStamps() {}

        /** A crop read into arrays once per field: its trimmed cell, premultiplied colour and median colour. */
        record Prepared(int w, int h, float[][] planes, Box bounds, double[] median) {}

        static Prepared prepare(CellCrop crop) {
            BufferedImage image = crop.image();
            int cw = image.getWidth();
            int ch = image.getHeight();
            boolean[] inner = trimmed(crop.mask(), cw, ch);
            int area = 0;
            int bx0 = cw;
            int by0 = ch;
            int bx1 = -1;
            int by1 = -1;
            int[] rgb = image.getRGB(0, 0, cw, ch, null, 0, cw);
            // coverage, then red, green and blue times coverage
            float[][] planes = new float[4][cw * ch];
            int[][] hist = new int[3][256];
            for (int i = 0; i < rgb.length; i++) {
                if (inner[i]) {
                    int p = rgb[i];
                    planes[0][i] = 1;
                    planes[1][i] = (p >> 16) & 0xff;
                    planes[2][i] = (p >> 8) & 0xff;
                    planes[3][i] = p & 0xff;
                    hist[0][(p >> 16) & 0xff]++;
                    hist[1][(p >> 8) & 0xff]++;
                    hist[2][p & 0xff]++;
                    area++;
                    bx0 = Math.min(bx0, i % cw);
                    bx1 = Math.max(bx1, i % cw);
                    by0 = Math.min(by0, i / cw);
                    by1 = Math.max(by1, i / cw);
                }
            }
            Box b = new Box(bx0, by0, bx1 - bx0 + 1, by1 - by0 + 1);
            double[] median = {median(hist[0], area), median(hist[1], area), median(hist[2], area)};
            return new Prepared(cw, ch, planes, b, median);
        }

        /**
         * @param d the diameter wanted (geometric mean of the mask's bounding width and height)
         * @param target the colour the crop's median colour is mapped to
         */
        static Stamp make(Prepared crop, double d, int turns, boolean flip, double[] target, Color background) {
            Box b = crop.bounds();
            double[] median = crop.median();
            double[] gain = new double[3];
            int[] bgc = {background.getRed(), background.getGreen(), background.getBlue()};
            for (int c = 0; c < 3; c++) {
                gain[c] = target[c] / Math.max(1, median[c]) / bgc[c];
            }
            double scale = d / Math.sqrt((double) b.w() * b.h());
            int sw = (int) Math.ceil(b.w() * scale) + 2 * PAD;
            int sh = (int) Math.ceil(b.h() * scale) + 2 * PAD;
            float[][] out = resample(crop.planes(), crop.w(), crop.h(), b.x() - PAD / scale, b.y() - PAD / scale,
                    scale, sw, sh);
            float[] cov = out[0];
            float[] cr = new float[sw * sh];
            float[] cg = new float[sw * sh];
            float[] cb = new float[sw * sh];
            for (int o = 0; o < cov.length; o++) {
                boolean some = cov[o] > 1e-6f;
                cr[o] = some ? out[1][o] / cov[o] : (float) median[0];
                cg[o] = some ? out[2][o] / cov[o] : (float) median[1];
                cb[o] = some ? out[3][o] / cov[o] : (float) median[2];
            }
            // A smooth outline: the coverage blurred over about 2 px, cut at one half, one piece without holes,
            // spikes narrower than a tenth of the cell cut off (NIH's segmentation leaves some); then an edge
            // softened over about 2 px.
            boolean[] shape = opened(largestFilled(threshold(boxBlur(cov, sw, sh, 2), 0.5f), sw, sh), sw, sh,
                    Math.max(2, 0.07 * d));
            float[] hard = new float[sw * sh];
            for (int i = 0; i < hard.length; i++) {
                hard[i] = shape[i] ? 1 : 0;
            }
            float[] soft = blur(hard, sw, sh);
            Stamp s = oriented(sw, sh, turns);
            for (int v = 0; v < sh; v++) {
                for (int u = 0; u < sw; u++) {
                    int from = v * sw + u;
                    int to = orient(u, v, sw, sh, turns, flip, s.w);
                    s.mask[to] = shape[from];
                    s.alpha[to] = soft[from];
                    s.tr[to] = (float) clamp(cr[from] * gain[0], 0.02, 1);
                    s.tg[to] = (float) clamp(cg[from] * gain[1], 0.02, 1);
                    s.tb[to] = (float) clamp(cb[from] * gain[2], 0.02, 1);
                }
            }
            s.index();
            return s;
        }

        /**
         * The crop's mask without its outer RIM pixels: the edge of an NIH crop holds some of the
         * slide's background, lighter and greener than the cell, which would ring the cell in a pale halo. The
         * whole mask when too little would be left.
         */
        private static boolean[] trimmed(CellMask mask, int w, int h) {
            boolean[] in = new boolean[w * h];
            for (int i = 0; i < in.length; i++) {
                in[i] = mask.at(i);
            }
            boolean[] rows = new boolean[w * h];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    boolean all = true;
                    for (int dx = -RIM; dx <= RIM && all; dx++) {
                        all = x + dx >= 0 && x + dx < w && in[y * w + x + dx];
                    }
                    rows[y * w + x] = all;
                }
            }
            boolean[] out = new boolean[w * h];
            int n = 0;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    boolean all = true;
                    for (int dy = -RIM; dy <= RIM && all; dy++) {
                        all = y + dy >= 0 && y + dy < h && rows[(y + dy) * w + x];
                    }
                    out[y * w + x] = all;
                    n += all ? 1 : 0;
                }
            }
            return n >= 0.5 * mask.area() ? out : in;
        }

        /**
         * Resamples planes of a w × h picture to sw × sh, output pixel (u, v) centred on the source point
         * (x0 + (u + ½) / scale, y0 + (v + ½) / scale): a separable tent filter as wide as an output pixel
         * (at least one source pixel), so a reduction averages the pixels it merges. Outside the picture is 0.
         */
        private static float[][] resample(float[][] planes, int w, int h, double x0, double y0, double scale, int sw, int sh) {
            Taps tx = Taps.of(x0, scale, sw, w);
            Taps ty = Taps.of(y0, scale, sh, h);
            int n = planes.length;
            float[][] out = new float[n][sw * sh];
            float[] row = new float[sw];
            for (int c = 0; c < n; c++) {
                float[] src = planes[c];
                float[] mid = new float[h * sw];
                for (int y = 0; y < h; y++) {
                    tx.apply(src, y * w, 1, row);
                    System.arraycopy(row, 0, mid, y * sw, sw);
                }
                float[] col = new float[sh];
                for (int u = 0; u < sw; u++) {
                    ty.apply(mid, u, sw, col);
                    for (int v = 0; v < sh; v++) {
                        out[c][v * sw + u] = col[v];
                    }
                }
            }
            return out;
        }

        /** The weights of a one-dimensional resampling: for each output index, a run of source indices. */
        private record Taps(int[] first, float[][] weights) {
            static Taps of(double origin, double scale, int outN, int srcN) {
                double radius = Math.max(1, 1 / scale);
                int[] first = new int[outN];
                float[][] weights = new float[outN][];
                for (int u = 0; u < outN; u++) {
                    double centre = origin + (u + 0.5) / scale;
                    int lo = (int) Math.floor(centre - 0.5 - radius) + 1;
                    int hi = (int) Math.ceil(centre - 0.5 + radius) - 1;
                    double total = 0;
                    for (int i = lo; i <= hi; i++) {
                        total += Math.max(0, 1 - Math.abs(i + 0.5 - centre) / radius);
                    }
                    int from = Math.max(0, lo);
                    int to = Math.min(srcN - 1, hi);
                    first[u] = from;
                    float[] wts = new float[Math.max(0, to - from + 1)];
                    for (int i = from; i <= to; i++) {
                        wts[i - from] = (float) (Math.max(0, 1 - Math.abs(i + 0.5 - centre) / radius) / total);
                    }
                    weights[u] = wts;
                }
                return new Taps(first, weights);
            }

            /** out[u] = sum of weights times src[offset + i * stride] over the run of u. */
            void apply(float[] src, int offset, int stride, float[] out) {
                for (int u = 0; u < out.length; u++) {
                    float[] wts = weights[u];
                    int base = offset + first[u] * stride;
                    float sum = 0;
                    for (int k = 0; k < wts.length; k++) {
                        sum += wts[k] * src[base + k * stride];
                    }
                    out[u] = sum;
                }
            }
        }

        /**
         * A morphological opening by a disc of the given radius (erosion, then dilation): what the disc cannot
         * reach when rolled inside the shape goes. The shape as it was when nothing would be left.
         */
        private static boolean[] opened(boolean[] shape, int w, int h, double radius) {
            boolean[] outside = new boolean[shape.length];
            for (int i = 0; i < shape.length; i++) {
                outside[i] = !shape[i];
            }
            float[] toOutside = squaredDistances(outside, w, h);
            double r2 = radius * radius;
            boolean[] core = new boolean[shape.length];
            boolean any = false;
            for (int i = 0; i < shape.length; i++) {
                core[i] = shape[i] && toOutside[i] > r2;
                any |= core[i];
            }
            if (!any) {
                return shape;
            }
            float[] toCore = squaredDistances(core, w, h);
            boolean[] out = new boolean[shape.length];
            for (int i = 0; i < shape.length; i++) {
                out[i] = shape[i] && toCore[i] <= r2;
            }
            return largestFilled(out, w, h);
        }

        private static boolean[] threshold(float[] a, float t) {
            boolean[] out = new boolean[a.length];
            for (int i = 0; i < a.length; i++) {
                out[i] = a[i] >= t;
            }
            return out;
        }

        /** The largest 4-connected part, holes filled (resampling can cut a thin neck or leave a pinhole). */
        private static boolean[] largestFilled(boolean[] on, int w, int h) {
            return CellMask.largestFilled(on, w, h);
        }

        private static Stamp oriented(int sw, int sh, int turns) {
            return turns % 2 == 0 ? new Stamp(sw, sh) : new Stamp(sh, sw);
        }

        /** The index in the turned (then flipped) stamp of the pixel (u, v) of a sw × sh one. */
        private static int orient(int u, int v, int sw, int sh, int turns, boolean flip, int outW) {
            int x;
            int y;
            switch (turns) {
                case 1 -> {
                    x = sh - 1 - v;
                    y = u;
                }
                case 2 -> {
                    x = sw - 1 - u;
                    y = sh - 1 - v;
                }
                case 3 -> {
                    x = v;
                    y = sw - 1 - u;
                }
                default -> {
                    x = u;
                    y = v;
                }
            }
            if (flip) {
                x = outW - 1 - x;
            }
            return y * outW + x;
        }

        private static double median(int[] hist, int n) {
            int half = (n + 1) / 2;
            int seen = 0;
            for (int v = 0; v < 256; v++) {
                seen += hist[v];
                if (seen >= half) {
                    return v;
                }
            }
            return 255;
        }
    }

    /** A mean over (2r + 1) × (2r + 1) pixels, zero outside. */
    static float[] boxBlur(float[] a, int w, int h, int r) {
        float[] t = new float[w * h];
        float norm = 1f / (2 * r + 1);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float sum = 0;
                for (int dx = -r; dx <= r; dx++) {
                    if (x + dx >= 0 && x + dx < w) {
                        sum += a[y * w + x + dx];
                    }
                }
                t[y * w + x] = sum * norm;
            }
        }
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float sum = 0;
                for (int dy = -r; dy <= r; dy++) {
                    if (y + dy >= 0 && y + dy < h) {
                        sum += t[(y + dy) * w + x];
                    }
                }
                out[y * w + x] = sum * norm;
            }
        }
        return out;
    }

    /** A [1 2 1] / 4 blur in each direction: softens an edge to about 2 px. */
    static float[] blur(float[] a, int w, int h) {
        float[] t = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float l = x > 0 ? a[y * w + x - 1] : 0;
                float r = x < w - 1 ? a[y * w + x + 1] : 0;
                t[y * w + x] = 0.25f * l + 0.5f * a[y * w + x] + 0.25f * r;
            }
        }
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float u = y > 0 ? t[(y - 1) * w + x] : 0;
                float d = y < h - 1 ? t[(y + 1) * w + x] : 0;
                out[y * w + x] = 0.25f * u + 0.5f * t[y * w + x] + 0.25f * d;
            }
        }
        return out;
    }

    /** White cells, platelets and debris, drawn as unions of discs. */
    private static final class Blobs {
        private Blobs() {}

        /** A pale disc of diameter {@code d} with a dark purple nucleus of 2 to 4 lobes. */
        static Stamp whiteCell(Random rnd, double d, Color background) {
            double r = d / 2;
            int size = (int) Math.ceil(d) + 2 * PAD + 2;
            Stamp s = new Stamp(size, size);
            double c = size / 2.0;
            double wobble = 0.03 * r;
            double phase = 2 * Math.PI * rnd.nextDouble();
            // a segmented nucleus: 3 to 5 lobes along a curve, joined by thin strands
            int lobes = 3 + rnd.nextInt(3);
            double[][] lobe = new double[lobes][3];
            double arc = r * (0.4 + 0.1 * rnd.nextDouble());
            double angle = 2 * Math.PI * rnd.nextDouble();
            double ox = c + r * 0.08 * (rnd.nextDouble() - 0.5);
            double oy = c + r * 0.08 * (rnd.nextDouble() - 0.5);
            for (int i = 0; i < lobes; i++) {
                double lr = r * (0.24 + 0.08 * rnd.nextDouble());
                double bend = r * 0.08 * (rnd.nextDouble() - 0.5);
                lobe[i][0] = ox + (arc + bend) * StrictMath.cos(angle);
                lobe[i][1] = oy + (arc + bend) * StrictMath.sin(angle);
                lobe[i][2] = lr;
                double chord = 1.6 * lr;
                angle += 2 * StrictMath.asin(Math.min(1, chord / (2 * arc)));
            }
            double strand = 0.06 * r;
            double[] cyt = ratio(new double[] {214, 200, 220}, background);
            double[] nuc = ratio(new double[] {105, 45, 130}, background);
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    double dx = x + 0.5 - c;
                    double dy = y + 0.5 - c;
                    double rr = Math.sqrt(dx * dx + dy * dy);
                    double edge = r + wobble * StrictMath.sin(5 * StrictMath.atan2(dy, dx) + phase);
                    double a = clamp(edge - rr + 0.5, 0, 1);
                    double an = 0;
                    for (double[] l : lobe) {
                        double ld = Math.hypot(x + 0.5 - l[0], y + 0.5 - l[1]);
                        an = Math.max(an, clamp(l[2] - ld + 0.5, 0, 1));
                    }
                    for (int k = 0; k + 1 < lobes; k++) {
                        double sd = segmentDistance(x + 0.5, y + 0.5, lobe[k][0], lobe[k][1], lobe[k + 1][0], lobe[k + 1][1]);
                        an = Math.max(an, clamp(strand - sd + 0.5, 0, 1));
                    }
                    double grain = 1 + 0.06 * (rnd.nextDouble() - 0.5);
                    int i = y * size + x;
                    s.alpha[i] = (float) a;
                    s.mask[i] = a >= 0.5;
                    s.tr[i] = (float) clamp(mix(cyt[0] * grain, nuc[0] * grain, an), 0.02, 1);
                    s.tg[i] = (float) clamp(mix(cyt[1] * grain, nuc[1] * grain, an), 0.02, 1);
                    s.tb[i] = (float) clamp(mix(cyt[2] * grain, nuc[2] * grain, an), 0.02, 1);
                }
            }
            s.index();
            return s;
        }

        /** A purple blob about {@code size} px across: two or three overlapping discs. */
        static Stamp platelet(Random rnd, double size, Color background) {
            double[] t = ratio(new double[] {125 + 20 * rnd.nextDouble(), 70 + 20 * rnd.nextDouble(), 150 + 20 * rnd.nextDouble()},
                    background);
            return discs(rnd, size, 2 + rnd.nextInt(2), t);
        }

        /** A grey speck about {@code size} px across: two to four small discs. */
        static Stamp debris(Random rnd, double size, Color background) {
            double grey = 0.55 + 0.25 * rnd.nextDouble();
            return discs(rnd, size, 2 + rnd.nextInt(3), new double[] {grey, grey * 0.98, grey});
        }

        private static Stamp discs(Random rnd, double size, int n, double[] t) {
            int dim = (int) Math.ceil(size) + 2 * PAD + 2;
            Stamp s = new Stamp(dim, dim);
            double c = dim / 2.0;
            double[][] disc = new double[n][3];
            for (int i = 0; i < n; i++) {
                double rad = size * (0.22 + 0.12 * rnd.nextDouble());
                double a = 2 * Math.PI * rnd.nextDouble();
                double off = (size / 2 - rad) * rnd.nextDouble();
                disc[i][0] = c + off * StrictMath.cos(a);
                disc[i][1] = c + off * StrictMath.sin(a);
                disc[i][2] = Math.max(1.2, rad);
            }
            for (int y = 0; y < dim; y++) {
                for (int x = 0; x < dim; x++) {
                    double a = 0;
                    for (double[] d : disc) {
                        a = Math.max(a, clamp(d[2] - Math.hypot(x + 0.5 - d[0], y + 0.5 - d[1]) + 0.5, 0, 1));
                    }
                    int i = y * dim + x;
                    s.alpha[i] = (float) a;
                    s.mask[i] = a >= 0.5;
                    s.tr[i] = (float) t[0];
                    s.tg[i] = (float) t[1];
                    s.tb[i] = (float) t[2];
                }
            }
            s.index();
            return s;
        }

        private static double[] ratio(double[] colour, Color background) {
            return new double[] {clamp(colour[0] / background.getRed(), 0.02, 1),
                clamp(colour[1] / background.getGreen(), 0.02, 1), clamp(colour[2] / background.getBlue(), 0.02, 1)};
        }

        /** The distance from (px, py) to the segment from (ax, ay) to (bx, by). */
        private static double segmentDistance(double px, double py, double ax, double ay, double bx, double by) {
            double vx = bx - ax;
            double vy = by - ay;
            double len2 = vx * vx + vy * vy;
            double t = len2 == 0 ? 0 : clamp(((px - ax) * vx + (py - ay) * vy) / len2, 0, 1);
            return Math.hypot(px - ax - t * vx, py - ay - t * vy);
        }

        private static double mix(double a, double b, double t) {
            return a + (b - a) * t;
        }
    }

    /** The background's illumination and the camera's noise. */
    private static final class Shading {
        private Shading() {}

        /** A multiplicative shading around 1: a few slow waves (±3% together) and a slight vignette. */
        static float[] field(Random rnd, int w, int h) {
            float[] s = new float[w * h];
            Arrays.fill(s, 1f);
            for (int k = 0; k < 3; k++) {
                double amp = 0.004 + 0.008 * rnd.nextDouble();
                double fx = 0.3 + 1.2 * rnd.nextDouble();
                double fy = 0.3 + 1.2 * rnd.nextDouble();
                double phase = 2 * Math.PI * rnd.nextDouble();
                float[] cx = new float[w];
                float[] sx = new float[w];
                float[] cy = new float[h];
                float[] sy = new float[h];
                for (int x = 0; x < w; x++) {
                    cx[x] = (float) StrictMath.cos(2 * Math.PI * fx * x / w);
                    sx[x] = (float) StrictMath.sin(2 * Math.PI * fx * x / w);
                }
                for (int y = 0; y < h; y++) {
                    cy[y] = (float) StrictMath.cos(2 * Math.PI * fy * y / h + phase);
                    sy[y] = (float) StrictMath.sin(2 * Math.PI * fy * y / h + phase);
                }
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        s[y * w + x] += (float) (amp * (cx[x] * cy[y] - sx[x] * sy[y]));
                    }
                }
            }
            double vignette = 0.03 + 0.03 * rnd.nextDouble();
            double vx = w * (0.4 + 0.2 * rnd.nextDouble());
            double vy = h * (0.4 + 0.2 * rnd.nextDouble());
            double norm = (double) w * w / 4 + (double) h * h / 4;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double dx = x - vx;
                    double dy = y - vy;
                    s[y * w + x] *= (float) (1 - vignette * (dx * dx + dy * dy) / norm);
                }
            }
            return s;
        }

        /** Camera noise from 21 random bits: a triangular distribution with a standard deviation of about 2. */
        static float noise(long bits) {
            int a = (int) (bits & 0x3ff);
            int b = (int) ((bits >>> 10) & 0x3ff);
            return (a + b - 1023) * (2.0f * 2.45f / 1024f);
        }
    }
}
