package org.smearscan.field.compose;

/**
 * Which object covers each pixel of a field, with a margin around the image so that stamps may reach past its
 * edge; and, in blocks of {@link #BLOCK} × {@link #BLOCK} pixels, how far the room left is from every object.
 */
final class OccupancyMap {
    /** The side of the blocks of the distance map, in pixels. */
    static final int BLOCK = 4;

    /** The occupancy map, with a margin around the image: 0 free, -1 not a red cell, k + 1 red cell k. */
    private final int margin;
    private final int ew;
    private final int eh;
    private final int[] owner;
    /** Blocks of the occupancy map holding an occupied pixel, for the distance map. */
    private final int gw;
    private final int gh;
    private final boolean[] occupiedBlock;
    private float[] distanceCache;

    /** An empty map of a width × height image with {@code margin} pixels around it. */
    OccupancyMap(int width, int height, int margin) {
        this.margin = margin;
        this.ew = width + 2 * margin;
        this.eh = height + 2 * margin;
        this.owner = new int[ew * eh];
        this.gw = (ew + BLOCK - 1) / BLOCK;
        this.gh = (eh + BLOCK - 1) / BLOCK;
        this.occupiedBlock = new boolean[gw * gh];
    }

    /** The stamp with its index lists located in this map (see {@link Stamp#locate}). */
    Stamp locate(Stamp s) {
        return s.locate(ew);
    }

    /** Whether every pixel of {@code offsets} (one of the stamp's located lists) at (x, y) is unoccupied. */
    boolean allFree(Stamp s, int[] offsets, int x, int y) {
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
     * Whether the stamp's mask at (x, y) lies within the map, covers nothing but free pixels and red cells, and
     * no more than {@code maxCovered} pixels of red cells.
     */
    boolean coversOnlyRedCells(Stamp s, int x, int y, double maxCovered) {
        int ox = x + margin;
        int oy = y + margin;
        if (ox < 0 || oy < 0 || ox + s.w > ew || oy + s.h > eh) {
            return false;
        }
        int covered = 0;
        int base = oy * ew + ox;
        for (int at : s.insideAt) {
            int o = owner[base + at];
            if (o < 0) {
                return false;
            }
            if (o > 0 && ++covered > maxCovered) {
                return false; // each covered pixel is shared with at least one cell
            }
        }
        return true;
    }

    /** Claims the stamp's mask pixels in the occupancy map (first claim wins). */
    void mark(Stamp s, int x, int y, int id) {
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

    /**
     * For each block of {@link #BLOCK} × {@link #BLOCK} pixels, the distance in pixels from its middle to the
     * middle of the nearest block holding an occupied pixel (Felzenszwalb and Huttenlocher's exact
     * transform); cached until the next object is laid.
     */
    float[] distances() {
        if (distanceCache != null) {
            return distanceCache;
        }
        float[] d = DistanceTransform.squaredDistances(occupiedBlock, gw, gh);
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (Math.sqrt(d[i]) * BLOCK);
        }
        distanceCache = d;
        return d;
    }

    /** The stamp's top-left corner that puts its centroid in the middle of a block of the distance map. */
    int[] spotPosition(Stamp s, int block) {
        double cx = (block % gw + 0.5) * BLOCK - margin;
        double cy = (block / gw + 0.5) * BLOCK - margin;
        return new int[] {(int) Math.round(cx - s.cx), (int) Math.round(cy - s.cy)};
    }
}
