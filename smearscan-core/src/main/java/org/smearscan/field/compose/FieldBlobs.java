package org.smearscan.field.compose;

import static org.smearscan.field.compose.Clamp.clamp;
import static org.smearscan.field.compose.Stamp.PAD;

import java.awt.Color;
import java.util.Random;

/** White cells, platelets and debris, drawn as unions of discs. */
final class FieldBlobs {
    private FieldBlobs() {}

    /** A pale disc of diameter {@code d} with a dark purple nucleus of 3 to 5 lobes. */
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
