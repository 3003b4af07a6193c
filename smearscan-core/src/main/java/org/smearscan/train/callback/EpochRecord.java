package org.smearscan.train.callback;

/**
 * One line of a run's history: what an epoch did.
 *
 * @param epoch      1-based, counted over the whole run (fine-tuning epochs continue the count)
 * @param phase      {@code fit} or {@code fine-tune}
 * @param trainLoss  mean training loss over the epoch's batches
 * @param validLoss  mean validation cross-entropy
 * @param accuracy   validation accuracy
 * @param errorRate  1 - accuracy
 * @param auc        validation ROC AUC for the positive class
 * @param lr         the head's learning rate at the epoch's last batch
 * @param seconds    wall time of the epoch, validation included
 * @param imgPerS    training images per second (time inside training batches)
 */
public record EpochRecord(int epoch, String phase, double trainLoss, double validLoss, double accuracy,
        double errorRate, double auc, double lr, double seconds, double imgPerS) {

    /** The history files' column order. */
    public static final String[] COLUMNS = {"epoch", "phase", "train_loss", "valid_loss", "accuracy", "error_rate",
        "auc", "lr", "seconds", "img_per_s"};
}
