package org.smearscan.data;

import java.util.Locale;

/**
 * How to split a data set, as the command line states it: {@code --split random|donor|folders},
 * {@code --valid-pct}, {@code --seed}, and {@code --folds K --fold k} for donor-level k-fold.
 *
 * @param method   the kind of split
 * @param validPct share of images held out (random and donor splits)
 * @param seed     random seed
 * @param folds    number of folds for donor k-fold, 0 for none
 * @param fold     which fold (1..folds) is held out, when {@code folds > 0}
 */
public record SplitSpec(Method method, double validPct, long seed, int folds, int fold) {
    public static final double DEFAULT_VALID_PCT = 0.2;
    public static final long DEFAULT_SEED = 42;

    /** The kinds of split. */
    public enum Method {
        RANDOM, DONOR, FOLDERS;

        /** Parses {@code random}, {@code donor} or {@code folders}, case-insensitively. */
        public static Method parse(String name) {
            try {
                return valueOf(name.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown split '" + name + "': use random, donor or folders");
            }
        }
    }

    public SplitSpec {
        if (folds != 0) {
            if (method != Method.DONOR) {
                throw new IllegalArgumentException("--folds works with the donor split only");
            }
            if (folds < 2 || fold < 1 || fold > folds) {
                throw new IllegalArgumentException("--folds K --fold k needs K >= 2 and 1 <= k <= K, got K=" + folds
                        + " k=" + fold);
            }
        }
        if (method != Method.FOLDERS && folds == 0 && !(validPct > 0 && validPct < 1)) {
            throw new IllegalArgumentException("--valid-pct must be between 0 and 1 (exclusive), got " + validPct);
        }
    }

    /** A random or donor split with the given share held out. */
    public static SplitSpec of(Method method, double validPct, long seed) {
        return new SplitSpec(method, validPct, seed, 0, 0);
    }

    /** Fold {@code fold} of a donor-level {@code folds}-fold split. */
    public static SplitSpec donorFold(int folds, int fold, long seed) {
        return new SplitSpec(Method.DONOR, DEFAULT_VALID_PCT, seed, folds, fold);
    }

    /** Splits the data set's images. */
    public Split apply(CellDataset dataset) {
        return switch (method) {
            case RANDOM -> Split.random(dataset.images(), validPct, seed);
            case DONOR -> folds > 0
                    ? Split.donorFold(dataset.images(), folds, fold, seed)
                    : Split.byDonor(dataset.images(), validPct, seed);
            case FOLDERS -> Split.folders(dataset);
        };
    }
}
