package org.smearscan.evaluate;

import java.util.SplittableRandom;

/**
 * How bootstrap intervals are drawn: {@code resamples} resamples of the images with replacement, from a
 * fixed seed so the same scores always give the same intervals.
 */
public record Bootstrap(int resamples, long seed) {
    public static final Bootstrap DEFAULT = new Bootstrap(1000, 20_190_417L);

    public Bootstrap {
        if (resamples < 1) {
            throw new IllegalArgumentException("bootstrap needs at least one resample, got " + resamples);
        }
    }

    /** How often each of {@code n} images is drawn in each resample: {@code [resample][image]}. */
    int[][] drawCounts(int n) {
        SplittableRandom random = new SplittableRandom(seed);
        int[][] counts = new int[resamples][n];
        for (int[] resample : counts) {
            for (int draw = 0; draw < n; draw++) {
                resample[random.nextInt(n)]++;
            }
        }
        return counts;
    }
}
