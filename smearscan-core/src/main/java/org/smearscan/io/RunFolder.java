package org.smearscan.io;

/**
 * The names of the files in a training run's folder, in one place: training writes them, resuming,
 * exporting, evaluating and the report read them.
 */
public final class RunFolder {
    /** The run's configuration, which resuming rebuilds the run from. */
    public static final String CONFIG = "config.json";
    /** Which images trained and which validated. */
    public static final String SPLIT = "split.tsv";
    /** The best epoch's model with its metrics and provenance. */
    public static final String MODEL = "model.smear";
    /** Every epoch's figures, as a table. */
    public static final String HISTORY_CSV = "history.csv";
    /** Every epoch's figures, as JSON (what resuming reads). */
    public static final String HISTORY_JSON = "history.json";
    /** The state after the last finished epoch, saved atomically every epoch. */
    public static final String CHECKPOINT = "checkpoint.zip";
    /** The best epoch's weights so far. */
    public static final String BEST_WEIGHTS = "best-weights.bin";
    /** The smoothed training loss per batch and the validation loss per epoch. */
    public static final String LOSS_PLOT = "loss.png";
    /** The learning rate and momentum per batch. */
    public static final String SCHEDULE_PLOT = "schedule.png";
    /** The learning rate finder's curve. */
    public static final String LR_FIND_PLOT = "lr_find.png";
    /** The learning rate finder's rates and losses. */
    public static final String LR_FIND_CSV = "lr_find.csv";

    private RunFolder() {}
}
