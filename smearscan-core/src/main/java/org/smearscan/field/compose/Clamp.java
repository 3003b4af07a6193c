package org.smearscan.field.compose;

/** Clamping a number into a range (Java 17 has no {@code Math.clamp}). */
final class Clamp {
    private Clamp() {}

    /** {@code v} limited to [lo, hi]. */
    static double clamp(double v, double lo, double hi) {
        return v < lo ? lo : Math.min(hi, v);
    }
}
