package org.smearscan.inference;

import java.util.Locale;
import java.util.Optional;

/**
 * Counts, over one batch of work (a {@code predict} run, a slide), the images the model could not judge, and
 * words a warning once when they are many. The threshold leaves 1 in 200 images like the training ones above it,
 * so a share ten times that says the images as a whole differ from what the model learned on (another stain,
 * microscope, species, or not cells at all), and its calls on the rest deserve less trust too.
 */
public final class DistributionShift {
    /** Share of images not judged above which the batch is reported: ten times the rate on training-like images. */
    public static final double WARNING_SHARE = 0.05;

    private int judged;
    private int notJudged;

    public void add(Prediction p) {
        if (p.isJudged()) {
            judged++;
        } else {
            notJudged++;
        }
    }

    public int notJudged() {
        return notJudged;
    }

    /** The warning, in plain words, when more than {@value #WARNING_SHARE} of the images were not judged. */
    public Optional<String> warning() {
        return warning(notJudged, judged + notJudged);
    }

    /** The warning for {@code notJudged} images of {@code total} not judged, when they are more than the share. */
    public static Optional<String> warning(int notJudged, int total) {
        return warning(notJudged, total, "images");
    }

    /** As {@link #warning(int, int)}, for things other than images ("cells found in these fields"). */
    public static Optional<String> warning(int notJudged, int total, String what) {
        if (total == 0 || (double) notJudged / total <= WARNING_SHARE) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "%.0f%% of these " + what + " (%d of %d) are unlike the cells this"
                + " model was trained on, and were not judged (status not_a_cell). If they are red cells from another"
                + " stain, microscope or species, the model's calls on images like them are not reliable either:"
                + " train or calibrate on your own images.", 100.0 * notJudged / total, notJudged, total));
    }
}
