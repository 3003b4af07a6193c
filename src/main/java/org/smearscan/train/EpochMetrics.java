package org.smearscan.train;

/**
 * Validation results of one pass.
 *
 * @param validLoss mean cross-entropy
 * @param accuracy  fraction classified right by the arg-max
 * @param auc       area under the ROC curve for the positive class (NaN when a class is missing)
 * @param count     validation images
 */
public record EpochMetrics(double validLoss, double accuracy, double auc, int count) {
    public double errorRate() {
        return 1 - accuracy;
    }

    public double get(Metric metric) {
        return switch (metric) {
            case VALID_LOSS -> validLoss;
            case ACCURACY -> accuracy;
            case ERROR_RATE -> errorRate();
            case AUC -> auc;
        };
    }
}
