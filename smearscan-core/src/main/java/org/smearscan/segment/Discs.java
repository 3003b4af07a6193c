package org.smearscan.segment;

/** Geometry of circles given as {x, y, r}. */
final class Discs {
    private Discs() {}

    /** The area two discs share. */
    static double intersection(double[] a, double[] b) {
        double d = Math.hypot(a[0] - b[0], a[1] - b[1]);
        double r1 = a[2];
        double r2 = b[2];
        if (d >= r1 + r2) {
            return 0;
        }
        if (d <= Math.abs(r1 - r2)) {
            double r = Math.min(r1, r2);
            return Math.PI * r * r;
        }
        double alpha = Math.acos((d * d + r1 * r1 - r2 * r2) / (2 * d * r1));
        double beta = Math.acos((d * d + r2 * r2 - r1 * r1) / (2 * d * r2));
        return r1 * r1 * (alpha - Math.sin(2 * alpha) / 2) + r2 * r2 * (beta - Math.sin(2 * beta) / 2);
    }

    /** The share of disc {@code c} that lies inside one or more of {@code others}, sampled every 2 pixels. */
    static double coveredShare(double[] c, java.util.List<double[]> others) {
        java.util.List<double[]> near = new java.util.ArrayList<>();
        for (double[] o : others) {
            if (Math.hypot(o[0] - c[0], o[1] - c[1]) < o[2] + c[2]) {
                near.add(o);
            }
        }
        if (near.isEmpty()) {
            return 0;
        }
        int inside = 0;
        int covered = 0;
        double r = c[2];
        for (double dy = -r; dy <= r; dy += 2) {
            for (double dx = -r; dx <= r; dx += 2) {
                if (dx * dx + dy * dy > r * r) {
                    continue;
                }
                inside++;
                double x = c[0] + dx;
                double y = c[1] + dy;
                for (double[] o : near) {
                    if ((x - o[0]) * (x - o[0]) + (y - o[1]) * (y - o[1]) <= o[2] * o[2]) {
                        covered++;
                        break;
                    }
                }
            }
        }
        return inside == 0 ? 0 : (double) covered / inside;
    }
}
