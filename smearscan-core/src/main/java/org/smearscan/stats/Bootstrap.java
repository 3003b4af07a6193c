package org.smearscan.stats;

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

    /** Receives each resample in turn as how often each image was drawn. */
    public interface ResampleConsumer {
        void accept(int resample, int[] timesDrawn);
    }

    /**
     * Draws the resamples of {@code n} images one at a time into one reused array (1000 resamples of 20,000
     * images held at once would take 80 MB).
     */
    public void forEachResample(int n, ResampleConsumer consumer) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] timesDrawn = new int[n];
        for (int r = 0; r < resamples; r++) {
            java.util.Arrays.fill(timesDrawn, 0);
            for (int draw = 0; draw < n; draw++) {
                timesDrawn[random.nextInt(n)]++;
            }
            consumer.accept(r, timesDrawn);
        }
    }
}
