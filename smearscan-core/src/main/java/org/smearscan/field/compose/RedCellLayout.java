package org.smearscan.field.compose;

import static org.smearscan.field.compose.OccupancyMap.BLOCK;
import static org.smearscan.field.compose.Stamp.GAP;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Lays the red cells of one field, some apart and some touching or overlapping a neighbour as the touching
 * target asks, none losing more than the overlap allowed of its area to the others.
 */
final class RedCellLayout {
    /** How far a cell may reach past the image's edge: this share of its width (or height). */
    static final double MAX_OUTSIDE = 0.35;
    private static final int FREE_TRIES = 200;
    private static final int TOUCH_TRIES = 400;
    /** Touching tries against a random cell from a random side, before the holes are looked for. */
    private static final int RANDOM_TOUCH_TRIES = 20;

    private final Random rnd;
    private final OccupancyMap occupancy;
    private final int width;
    private final int height;
    private final double touchingFraction;
    private final double maxOverlap;
    private final List<PlacedCell> cells = new ArrayList<>();
    /** Per cell laid: the pixels of its mask shared with the others; whether it touches another. */
    private final List<Integer> used = new ArrayList<>();
    private final List<Boolean> touching = new ArrayList<>();
    private int touchingCount;

    RedCellLayout(Random rnd, OccupancyMap occupancy, ComposerSettings settings) {
        this.rnd = rnd;
        this.occupancy = occupancy;
        this.width = settings.width();
        this.height = settings.height();
        this.touchingFraction = settings.touchingFraction();
        this.maxOverlap = settings.maxOverlap();
    }

    /** The cells laid so far, in order; cell k owns the pixels marked k + 1 in the occupancy map. */
    List<PlacedCell> cells() {
        return Collections.unmodifiableList(cells);
    }

    /** Lays a red cell: apart from the others or against one, as the touching target asks. */
    boolean place(Stamp s, boolean inf) {
        int k = cells.size();
        boolean wantTouch = k > 0 && touchingCount < touchingFraction * (k + 1);
        if (!wantTouch && placeFree(s, inf)) {
            return true;
        }
        return placeTouching(s, inf) || (wantTouch && placeFree(s, inf));
    }

    private boolean placeFree(Stamp s, boolean inf) {
        int bw = s.boxWidth();
        int bh = s.boxHeight();
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
            if (occupancy.allFree(s, s.probeAt, x, y) && occupancy.allFree(s, s.nearGapAt, x, y)) {
                accept(s, x, y, inf);
                return true;
            }
        }
        // A crowded field: look for the room left with the distance map rather than by chance.
        int[] spots = blocksAtLeast(s, s.reach + 1.5 * GAP + 1.5 * BLOCK);
        for (int t = 0; t < Math.min(spots.length, FREE_TRIES); t++) {
            int[] xy = occupancy.spotPosition(s, spots[rnd.nextInt(spots.length)]);
            if (occupancy.allFree(s, s.nearGapAt, xy[0], xy[1])) {
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
            PlacedCell anchor;
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
                int[] xy = occupancy.spotPosition(s, holes[rnd.nextInt(holes.length)]);
                double hx = xy[0] + s.cx;
                double hy = xy[1] + s.cy;
                anchor = nearest(hx, hy);
                angle = StrictMath.atan2(hy - anchor.y() - anchor.stamp().cy, hx - anchor.x() - anchor.stamp().cx);
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
    private boolean touchAlong(Stamp s, boolean inf, PlacedCell anchor, double angle) {
        double ux = StrictMath.cos(angle);
        double uy = StrictMath.sin(angle);
        double ax = anchor.x() + anchor.stamp().cx;
        double ay = anchor.y() + anchor.stamp().cy;
        for (double dist = anchor.stamp().reach + s.reach + 2; dist > 0; dist -= 1) {
            int x = (int) Math.round(ax + dist * ux - s.cx);
            int y = (int) Math.round(ay + dist * uy - s.cy);
            if (!inBounds(s, x, y) || occupancy.allFree(s, s.near1At, x, y) || !overlapAllowed(s, x, y)) {
                continue;
            }
            double depth = rnd.nextBoolean() ? rnd.nextDouble() * 0.4 * Math.min(s.reach, anchor.stamp().reach) : 0;
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
        float[] dist = occupancy.distances();
        int[] out = new int[dist.length];
        int n = 0;
        for (int i = 0; i < dist.length; i++) {
            if (dist[i] >= distance) {
                int[] xy = occupancy.spotPosition(s, i);
                if (inBounds(s, xy[0], xy[1])) {
                    out[n++] = i;
                }
            }
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * A random cell to lay the next one against: one that touches nothing yet when the touching target needs
     * two more touching cells (the new one and its anchor), else one already touching (the clump grows).
     */
    private PlacedCell anchor() {
        boolean wantLone = touchingFraction * (cells.size() + 1) - touchingCount >= 2;
        List<Integer> pool = new ArrayList<>();
        for (int j = 0; j < cells.size(); j++) {
            if (touching.get(j) != wantLone) {
                pool.add(j);
            }
        }
        return cells.get(pool.isEmpty() ? rnd.nextInt(cells.size()) : pool.get(rnd.nextInt(pool.size())));
    }

    private PlacedCell nearest(double x, double y) {
        PlacedCell best = null;
        double bestD = Double.MAX_VALUE;
        for (PlacedCell p : cells) {
            double dx = p.x() + p.stamp().cx - x;
            double dy = p.y() + p.stamp().cy - y;
            double d = dx * dx + dy * dy;
            if (d < bestD) {
                bestD = d;
                best = p;
            }
        }
        return best;
    }

    /** Whether the cell's box stays within {@link #MAX_OUTSIDE} of its size from the image. */
    private boolean inBounds(Stamp s, int x, int y) {
        int bw = s.boxWidth();
        int bh = s.boxHeight();
        int left = x + s.bx0;
        int top = y + s.by0;
        return left >= -Math.floor(MAX_OUTSIDE * bw) && left + bw <= width + Math.floor(MAX_OUTSIDE * bw)
                && top >= -Math.floor(MAX_OUTSIDE * bh) && top + bh <= height + Math.floor(MAX_OUTSIDE * bh);
    }

    /**
     * Whether the cell at (x, y) covers nothing but red cells, and neither it nor any of them then shares
     * more than {@code maxOverlap} of its area with the others.
     */
    private boolean overlapAllowed(Stamp s, int x, int y) {
        double ownBudget = maxOverlap * s.area;
        if (!occupancy.coversOnlyRedCells(s, x, y, ownBudget)) {
            return false;
        }
        int total = 0;
        for (int j = 0; j < cells.size(); j++) {
            int o = cells.get(j).overlap(s, x, y);
            if (o == 0) {
                continue;
            }
            total += o;
            if (total > ownBudget || used.get(j) + o > maxOverlap * cells.get(j).stamp().area) {
                return false;
            }
        }
        return true;
    }

    private void accept(Stamp s, int x, int y, boolean inf) {
        int k = cells.size();
        PlacedCell placed = new PlacedCell(s, x, y, inf);
        boolean touches = false;
        int own = 0;
        for (int j = 0; j < k; j++) {
            PlacedCell other = cells.get(j);
            int o = other.overlap(s, x, y);
            if (o > 0) {
                used.set(j, used.get(j) + o);
                own += o;
            }
            if (o > 0 || other.touches(s, x, y)) {
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
        occupancy.mark(s, x, y, k + 1);
    }
}
