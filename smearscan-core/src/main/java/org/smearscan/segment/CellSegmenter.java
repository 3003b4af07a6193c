package org.smearscan.segment;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Finds the red cells of a thin-smear field photograph.
 *
 * <p>Red cells in a thin smear are discs of nearly one size, often touching or overlapping. A circle search
 * (OpenCV's Hough gradient method, on the green channel, where haemoglobin and Giemsa stain contrast most) finds
 * them one by one even inside clumps, where the textbook pipeline (Otsu, distance-transform peaks, watershed)
 * merges touching cells and splits large infected ones: on the 20 tuning fields it found 95% of the boxed
 * cells at IoU 0.5, against 64% for that pipeline. Circles over the background (between cells) are removed
 * by requiring the disc to be mostly foreground (Otsu on the green channel, holes filled so the pale centres
 * count). Platelets, debris and the scale bar are far smaller than the radius range and are never circles of
 * it. Each cell's mask is its disc, cut to the foreground and to the pixels nearer its centre than to any
 * neighbour's, which is how touching cells are split for cropping.
 */
public final class CellSegmenter {
    private static final int BLUR = 5;
    /** The share of the radius whose disc must be foreground: the rim of a cell is ragged. */
    private static final double INNER_DISC = 0.85;

    private final SegmentationParameters parameters;

    public CellSegmenter(SegmentationParameters parameters) {
        this.parameters = Objects.requireNonNull(parameters, "parameters");
        OpenCv.load();
    }

    public SegmentationParameters parameters() {
        return parameters;
    }

    /** The red cells of a field, top to bottom, then left to right. */
    public List<SegmentedCell> segment(BufferedImage field) {
        return analyse(field).cells();
    }

    /** The red cells of a field and its foreground, from which cells at other places can be cut. */
    public Segmentation analyse(BufferedImage field) {
        int width = field.getWidth();
        int height = field.getHeight();
        byte[] green = Channels.green(field);
        Mat greenMat = Channels.toMat(green, width, height);
        try {
            byte[] foreground = Foreground.mask(greenMat, holeLimit());
            List<double[]> circles = dropStraddling(keepForeground(findCircles(greenMat), foreground, width, height));
            return new Segmentation(cells(circles, foreground, width, height), foreground, width, height,
                    parameters.borderMargin());
        } finally {
            greenMat.release();
        }
    }

    /** Holes up to about half a small cell are a cell's pale centre, not background between cells. */
    private int holeLimit() {
        return (int) (Math.PI * parameters.minRadius() * parameters.minRadius() * 1.4);
    }

    private List<double[]> findCircles(Mat green) {
        double s = parameters.scale();
        Mat small = new Mat();
        Mat circles = new Mat();
        try {
            if (s < 1) {
                Imgproc.resize(green, small, new Size(), s, s, Imgproc.INTER_AREA);
            } else {
                green.copyTo(small);
            }
            Imgproc.GaussianBlur(small, small, new Size(BLUR, BLUR), 0);
            Imgproc.HoughCircles(small, circles, Imgproc.HOUGH_GRADIENT, 1, parameters.minDistance() * s,
                    parameters.edgeThreshold(), parameters.votes(), (int) (parameters.minRadius() * s),
                    (int) (parameters.maxRadius() * s));
            List<double[]> found = new ArrayList<>();
            for (int i = 0; i < circles.cols(); i++) {
                double[] c = circles.get(0, i);
                found.add(new double[] {c[0] / s, c[1] / s, c[2] / s});
            }
            return found;
        } finally {
            small.release();
            circles.release();
        }
    }

    private List<double[]> keepForeground(List<double[]> circles, byte[] foreground, int width, int height) {
        List<double[]> kept = new ArrayList<>();
        for (double[] c : circles) {
            double r = c[2] * INNER_DISC;
            int inside = 0;
            int dark = 0;
            for (int y = (int) Math.max(0, c[1] - r); y <= Math.min(height - 1, c[1] + r); y++) {
                for (int x = (int) Math.max(0, c[0] - r); x <= Math.min(width - 1, c[0] + r); x++) {
                    double dx = x - c[0];
                    double dy = y - c[1];
                    if (dx * dx + dy * dy <= r * r) {
                        inside++;
                        if (foreground[y * width + x] != 0) {
                            dark++;
                        }
                    }
                }
            }
            if (inside > 0 && dark >= parameters.minForeground() * inside) {
                kept.add(c);
            }
        }
        return kept;
    }

    /**
     * Drops circles whose disc lies mostly inside circles of more votes (the search lists circles by votes, most
     * first): in clumps it also finds circles straddling two cells, or a second circle in one cell. Coverage by
     * the union, not by one neighbour, since a straddling circle lies half in each of two cells, while two cells
     * stacked on a slide may share much of one disc and leave the rest of it free.
     */
    private List<double[]> dropStraddling(List<double[]> circles) {
        if (parameters.maxShared() >= 1) {
            return circles;
        }
        List<double[]> kept = new ArrayList<>();
        for (double[] c : circles) {
            if (Discs.coveredShare(c, kept) <= parameters.maxShared()) {
                kept.add(c);
            }
        }
        return kept;
    }

    private List<SegmentedCell> cells(List<double[]> circles, byte[] foreground, int width, int height) {
        List<SegmentedCell> cells = new ArrayList<>();
        for (int i = 0; i < circles.size(); i++) {
            double[] c = circles.get(i);
            double r = c[2] * parameters.boxScale();
            Box box = new Box((int) Math.floor(c[0] - r), (int) Math.floor(c[1] - r), (int) Math.ceil(2 * r),
                    (int) Math.ceil(2 * r)).clampTo(width, height);
            if (box == null) {
                continue;
            }
            List<double[]> neighbours = neighbours(circles, i);
            byte[] mask = new byte[(int) box.area()];
            for (int y = box.y(); y < box.bottom(); y++) {
                for (int x = box.x(); x < box.right(); x++) {
                    double d2 = (x - c[0]) * (x - c[0]) + (y - c[1]) * (y - c[1]);
                    if (d2 <= r * r && foreground[y * width + x] != 0 && nearest(c, d2, x, y, neighbours)) {
                        mask[(y - box.y()) * box.w() + (x - box.x())] = 1;
                    }
                }
            }
            boolean cut = box.nearBorder(width, height, parameters.borderMargin());
            cells.add(new SegmentedCell(box, c[0], c[1], c[2] * parameters.boxScale(), mask, cut));
        }
        cells.sort(Comparator.comparingInt((SegmentedCell cell) -> cell.box().y()).thenComparingInt(cell -> cell.box().x()));
        return cells;
    }

    private List<double[]> neighbours(List<double[]> circles, int self) {
        double[] c = circles.get(self);
        List<double[]> near = new ArrayList<>();
        for (int j = 0; j < circles.size(); j++) {
            double[] o = circles.get(j);
            double reach = (c[2] + o[2]) * parameters.boxScale();
            if (j != self && Math.abs(o[0] - c[0]) < reach && Math.abs(o[1] - c[1]) < reach) {
                near.add(o);
            }
        }
        return near;
    }

    /**
     * Whether no neighbour's centre is nearer to (x, y) than this cell's centre {@code c}, at squared distance
     * {@code d2}. A pixel as near to both goes to the centre further left (then further up), so that no pixel
     * belongs to two cells.
     */
    private static boolean nearest(double[] c, double d2, int x, int y, List<double[]> neighbours) {
        for (double[] o : neighbours) {
            double o2 = (x - o[0]) * (x - o[0]) + (y - o[1]) * (y - o[1]);
            if (o2 < d2 || (o2 == d2 && (o[0] < c[0] || (o[0] == c[0] && o[1] < c[1])))) {
                return false;
            }
        }
        return true;
    }
}
