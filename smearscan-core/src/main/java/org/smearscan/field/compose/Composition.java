package org.smearscan.field.compose;

import static org.smearscan.field.compose.Clamp.clamp;
import static org.smearscan.field.compose.Stamp.PAD;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Random;
import org.smearscan.field.truth.AnnotatedCell;
import org.smearscan.field.truth.CellType;
import org.smearscan.segment.Box;

/**
 * One field's working state: lays the white cells, the red cells, the platelets and the debris, in that order,
 * all drawn from one random sequence, then renders the field and its ground truth.
 */
final class Composition {
    private static final int BLOB_TRIES = 60;

    private final ComposerSettings settings;
    private final Random rnd;
    private final int infected;
    private final int width;
    private final int height;
    private final double diameter;
    private final Color background;
    private final OccupancyMap occupancy;
    private final RedCellLayout layout;
    private final SmearTransmittance smear;
    /** Crops read into arrays, by identity (a record's equality would compare the pictures' identities too). */
    private final IdentityHashMap<CellCrop, PreparedCrop> prepared = new IdentityHashMap<>();

    /** A layout of {@code settings.cellCount()} red cells, {@code infected} of them infected, drawn from rnd. */
    Composition(ComposerSettings settings, Random rnd, int infected) {
        this.settings = settings;
        this.rnd = rnd;
        this.infected = infected;
        this.width = settings.width();
        this.height = settings.height();
        this.diameter = settings.diameter();
        this.background = settings.background();
        int margin = (int) Math.ceil(diameter * (1 + 3 * settings.spread()) * 1.7) + 2 * PAD;
        this.occupancy = new OccupancyMap(width, height, margin);
        this.layout = new RedCellLayout(rnd, occupancy, settings);
        this.smear = new SmearTransmittance(width, height);
    }

    /**
     * The composed field.
     *
     * @throws IllegalStateException when not all the red cells fit
     */
    ComposedField run() {
        int cellCount = settings.cellCount();
        int whites = between(settings.whiteMin(), settings.whiteMax());
        int platelets = between(settings.plateletMin(), settings.plateletMax());
        int debris = between(settings.debrisMin(), settings.debrisMax());
        for (int i = 0; i < whites; i++) {
            placeWhiteCell();
        }
        List<Boolean> kinds = new ArrayList<>();
        for (int i = 0; i < cellCount; i++) {
            kinds.add(i < infected);
        }
        Collections.shuffle(kinds, rnd);
        CropDeck infectedDeck = new CropDeck(settings.source().infected(), rnd);
        CropDeck uninfectedDeck = new CropDeck(settings.source().uninfected(), rnd);
        for (int i = 0; i < cellCount; i++) {
            boolean inf = kinds.get(i);
            Stamp stamp = cellStamp(inf ? infectedDeck.next() : uninfectedDeck.next());
            if (!layout.place(stamp, inf)) {
                throw new IllegalStateException("could place only " + i + " of " + cellCount + " cells in a "
                        + width + " x " + height + " field (median diameter " + diameter + " px, at most "
                        + Math.round(100 * settings.maxOverlap()) + "% overlap): ask for fewer cells or smaller ones");
            }
        }
        for (int i = 0; i < platelets; i++) {
            placeBlob(FieldBlobs.platelet(rnd, 6 + 9 * rnd.nextDouble(), background));
        }
        for (int i = 0; i < debris; i++) {
            placeBlob(FieldBlobs.debris(rnd, 3 + 7 * rnd.nextDouble(), background));
        }
        List<PlacedCell> cells = layout.cells();
        for (PlacedCell p : cells) {
            smear.paint(p.stamp(), p.x(), p.y());
        }
        BufferedImage image = smear.render(rnd, background);
        List<AnnotatedCell> truth = new ArrayList<>();
        List<CellFootprint> footprints = new ArrayList<>();
        for (PlacedCell p : cells) {
            Stamp s = p.stamp();
            Box box = new Box(p.x() + s.bx0, p.y() + s.by0, s.boxWidth(), s.boxHeight()).clampTo(width, height);
            truth.add(new AnnotatedCell(box, p.infected() ? CellType.INFECTED : CellType.UNINFECTED));
            footprints.add(new CellFootprint(p.x(), p.y(), CellMask.of(s.w, s.h, s.mask)));
        }
        return new ComposedField(image, truth, (double) infected / cellCount, footprints);
    }

    private int between(int min, int max) {
        return min + rnd.nextInt(max - min + 1);
    }

    /** A red cell's stamp from the crop: a diameter, quarter turns, a flip and a colour drawn for it. */
    private Stamp cellStamp(CellCrop crop) {
        double d = diameter * StrictMath.exp(settings.spread() * clamp(rnd.nextGaussian(), -2.5, 2.5));
        int turns = rnd.nextInt(4);
        boolean flip = rnd.nextBoolean();
        double shade = 1 + 0.04 * clamp(rnd.nextGaussian(), -2.5, 2.5);
        Color cellColor = settings.cellColor();
        double[] target = {
            cellColor.getRed() * shade * (1 + 0.015 * clamp(rnd.nextGaussian(), -2.5, 2.5)),
            cellColor.getGreen() * shade * (1 + 0.015 * clamp(rnd.nextGaussian(), -2.5, 2.5)),
            cellColor.getBlue() * shade * (1 + 0.015 * clamp(rnd.nextGaussian(), -2.5, 2.5)),
        };
        return occupancy.locate(CropStamps.make(prepared.computeIfAbsent(crop, PreparedCrop::of), d, turns, flip,
                target, background));
    }

    /** Lays a white cell on free background, apart from everything; skipped when there is no room. */
    private void placeWhiteCell() {
        Stamp s = occupancy.locate(FieldBlobs.whiteCell(rnd, diameter * (1.3 + 0.3 * rnd.nextDouble()), background));
        for (int t = 0; t < BLOB_TRIES; t++) {
            double r = s.reach;
            int cx = (int) Math.round(0.6 * r + rnd.nextDouble() * Math.max(0, width - 1.2 * r));
            int cy = (int) Math.round(0.6 * r + rnd.nextDouble() * Math.max(0, height - 1.2 * r));
            int x = (int) Math.round(cx - s.cx);
            int y = (int) Math.round(cy - s.cy);
            if (occupancy.allFree(s, s.nearGapAt, x, y)) {
                occupancy.mark(s, x, y, -1);
                smear.paint(s, x, y);
                return;
            }
        }
    }

    /** Lays a platelet or speck on free background, apart from everything; skipped when there is no room. */
    private void placeBlob(Stamp blob) {
        Stamp s = occupancy.locate(blob);
        int bw = s.boxWidth();
        int bh = s.boxHeight();
        for (int t = 0; t < BLOB_TRIES; t++) {
            int x = rnd.nextInt(Math.max(1, width - bw)) - s.bx0;
            int y = rnd.nextInt(Math.max(1, height - bh)) - s.by0;
            if (occupancy.allFree(s, s.nearGapAt, x, y)) {
                occupancy.mark(s, x, y, -1);
                smear.paint(s, x, y);
                return;
            }
        }
    }
}
