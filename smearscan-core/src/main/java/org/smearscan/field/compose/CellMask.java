package org.smearscan.field.compose;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.smearscan.segment.Box;

/**
 * Which pixels of a picture belong to a cell: an immutable binary mask of a fixed size.
 *
 * <p>{@link #of(BufferedImage)} derives it from a cell crop in the NIH style, where everything outside the cell
 * is black: the pixels whose brightest channel exceeds a small threshold, then only the largest connected
 * component of them (bits of neighbouring cells at the crop's corners drop out), with its holes filled (a pale
 * centre or a dark parasite inside the cell stays part of it).
 */
public final class CellMask {
    /** The default threshold on the brightest channel: NIH crops are black (0) outside the cell. */
    public static final int DEFAULT_THRESHOLD = 20;

    private final int width;
    private final int height;
    private final boolean[] inside;
    private final int area;

    private CellMask(int width, int height, boolean[] inside) {
        this.width = width;
        this.height = height;
        this.inside = inside;
        int n = 0;
        for (boolean b : inside) {
            if (b) {
                n++;
            }
        }
        this.area = n;
    }

    /** A mask with the given pixels, row by row ({@code pixels[y * width + x]}); the array is copied. */
    public static CellMask of(int width, int height, boolean[] pixels) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("a mask needs a positive size, got " + width + " x " + height);
        }
        if (pixels.length != width * height) {
            throw new IllegalArgumentException("a " + width + " x " + height + " mask needs " + width * height
                    + " pixels, got " + pixels.length);
        }
        return new CellMask(width, height, pixels.clone());
    }

    /** The cell of a crop on black, with {@link #DEFAULT_THRESHOLD}. */
    public static CellMask of(BufferedImage crop) {
        return of(crop, DEFAULT_THRESHOLD);
    }

    /**
     * The cell of a crop on black: pixels whose brightest channel is above {@code threshold}, largest
     * 4-connected component, holes filled. Empty (area 0) when no pixel is above the threshold.
     */
    public static CellMask of(BufferedImage crop, int threshold) {
        int w = crop.getWidth();
        int h = crop.getHeight();
        int[] rgb = crop.getRGB(0, 0, w, h, null, 0, w);
        boolean[] bright = new boolean[w * h];
        for (int i = 0; i < rgb.length; i++) {
            int p = rgb[i];
            int max = Math.max((p >> 16) & 0xff, Math.max((p >> 8) & 0xff, p & 0xff));
            bright[i] = max > threshold;
        }
        boolean[] cell = largestComponent(bright, w, h);
        fillHoles(cell, w, h);
        return new CellMask(w, h, cell);
    }

    /** The largest 4-connected component of {@code on} (w × h), holes filled; a new array. */
    static boolean[] largestFilled(boolean[] on, int w, int h) {
        boolean[] cell = largestComponent(on, w, h);
        fillHoles(cell, w, h);
        return cell;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Number of pixels inside. */
    public int area() {
        return area;
    }

    /** Whether (x, y) is inside; false outside the mask's rectangle. */
    public boolean contains(int x, int y) {
        return x >= 0 && y >= 0 && x < width && y < height && inside[y * width + x];
    }

    /** The smallest box holding every inside pixel, or {@code null} when the mask is empty. */
    public Box bounds() {
        int x0 = width;
        int y0 = height;
        int x1 = -1;
        int y1 = -1;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                if (inside[y * width + x]) {
                    x0 = Math.min(x0, x);
                    x1 = Math.max(x1, x);
                    y0 = Math.min(y0, y);
                    y1 = Math.max(y1, y);
                }
            }
        }
        return x1 < 0 ? null : new Box(x0, y0, x1 - x0 + 1, y1 - y0 + 1);
    }

    /**
     * The area over the area of the convex hull of the pixels (as unit squares): about 0.97 for a pixelated
     * disc, lower for a ragged or notched outline, 0 for an empty mask.
     */
    public double solidity() {
        if (area == 0) {
            return 0;
        }
        List<long[]> corners = new ArrayList<>();
        for (int y = 0; y < height; y++) {
            int x0 = -1;
            int x1 = -1;
            for (int x = 0; x < width; x++) {
                if (inside[y * width + x]) {
                    if (x0 < 0) {
                        x0 = x;
                    }
                    x1 = x;
                }
            }
            if (x0 >= 0) {
                corners.add(new long[] {x0, y});
                corners.add(new long[] {x1 + 1L, y});
                corners.add(new long[] {x0, y + 1L});
                corners.add(new long[] {x1 + 1L, y + 1L});
            }
        }
        corners.sort((p, q) -> p[0] != q[0] ? Long.compare(p[0], q[0]) : Long.compare(p[1], q[1]));
        // Andrew's monotone chain
        long[][] hull = new long[2 * corners.size()][];
        int k = 0;
        for (long[] p : corners) {
            while (k >= 2 && cross(hull[k - 2], hull[k - 1], p) <= 0) {
                k--;
            }
            hull[k++] = p;
        }
        for (int i = corners.size() - 2, lower = k + 1; i >= 0; i--) {
            long[] p = corners.get(i);
            while (k >= lower && cross(hull[k - 2], hull[k - 1], p) <= 0) {
                k--;
            }
            hull[k++] = p;
        }
        long twice = 0;
        for (int i = 0; i < k - 1; i++) {
            twice += hull[i][0] * hull[i + 1][1] - hull[i + 1][0] * hull[i][1];
        }
        return area / (Math.abs(twice) / 2.0);
    }

    private static long cross(long[] o, long[] a, long[] b) {
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
    }

    /** The pixels, row by row; a copy. */
    public boolean[] toArray() {
        return inside.clone();
    }

    /** Read access for the package, without a copy. */
    boolean at(int index) {
        return inside[index];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CellMask m && m.width == width && m.height == height && Arrays.equals(m.inside, inside);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(inside);
    }

    @Override
    public String toString() {
        return "CellMask[" + width + " x " + height + ", area " + area + "]";
    }

    /** The largest 4-connected component of {@code on}; ties go to the one found first (row-major). */
    private static boolean[] largestComponent(boolean[] on, int w, int h) {
        int[] label = new int[w * h];
        int[] stack = new int[w * h];
        int best = 0;
        int bestSize = 0;
        int next = 0;
        for (int start = 0; start < on.length; start++) {
            if (!on[start] || label[start] != 0) {
                continue;
            }
            next++;
            int size = 0;
            int top = 0;
            stack[top++] = start;
            label[start] = next;
            while (top > 0) {
                int i = stack[--top];
                size++;
                int x = i % w;
                int y = i / w;
                if (x > 0 && on[i - 1] && label[i - 1] == 0) {
                    label[i - 1] = next;
                    stack[top++] = i - 1;
                }
                if (x < w - 1 && on[i + 1] && label[i + 1] == 0) {
                    label[i + 1] = next;
                    stack[top++] = i + 1;
                }
                if (y > 0 && on[i - w] && label[i - w] == 0) {
                    label[i - w] = next;
                    stack[top++] = i - w;
                }
                if (y < h - 1 && on[i + w] && label[i + w] == 0) {
                    label[i + w] = next;
                    stack[top++] = i + w;
                }
            }
            if (size > bestSize) {
                bestSize = size;
                best = next;
            }
        }
        boolean[] out = new boolean[w * h];
        if (best != 0) {
            for (int i = 0; i < out.length; i++) {
                out[i] = label[i] == best;
            }
        }
        return out;
    }

    /** Sets every outside pixel that the crop's border cannot reach (8-connected through outside pixels). */
    private static void fillHoles(boolean[] cell, int w, int h) {
        boolean[] reached = new boolean[w * h];
        int[] stack = new int[w * h];
        int top = 0;
        for (int x = 0; x < w; x++) {
            top = seed(cell, reached, stack, top, x);
            top = seed(cell, reached, stack, top, (h - 1) * w + x);
        }
        for (int y = 0; y < h; y++) {
            top = seed(cell, reached, stack, top, y * w);
            top = seed(cell, reached, stack, top, y * w + w - 1);
        }
        while (top > 0) {
            int i = stack[--top];
            int x = i % w;
            int y = i / w;
            for (int dy = -1; dy <= 1; dy++) {
                for (int dx = -1; dx <= 1; dx++) {
                    int nx = x + dx;
                    int ny = y + dy;
                    if (nx >= 0 && ny >= 0 && nx < w && ny < h) {
                        top = seed(cell, reached, stack, top, ny * w + nx);
                    }
                }
            }
        }
        for (int i = 0; i < cell.length; i++) {
            if (!reached[i]) {
                cell[i] = true;
            }
        }
    }

    private static int seed(boolean[] cell, boolean[] reached, int[] stack, int top, int i) {
        if (!cell[i] && !reached[i]) {
            reached[i] = true;
            stack[top++] = i;
        }
        return top;
    }
}
