package org.smearscan.evaluate;

import java.util.Arrays;
import org.smearscan.inference.Softmax;
import org.smearscan.inference.Tta;
import org.smearscan.modelfile.OutOfDistribution;
/**
 * A model's raw outputs for a list of images, kept as logits so that calibration can refit the
 * temperature without scoring again.
 *
 * @param logits     {@code [image][class]}: the image as it is (dihedral view 0)
 * @param viewLogits {@code [image][view][class]} over the 8 dihedral views, or null without TTA
 * @param oodScores  each image's out-of-distribution score, or null for a model without one
 */
public record ModelScores(float[][] logits, float[][][] viewLogits, double[] oodScores) {

    public ModelScores(float[][] logits, float[][][] viewLogits) {
        this(logits, viewLogits, null);
    }

    /** Images whose score lies beyond the model's threshold: the model does not judge them. */
    public int notACell() {
        return oodScores == null ? 0
                : (int) Arrays.stream(oodScores).filter(s -> s > OutOfDistribution.THRESHOLD).count();
    }

    public ModelScores {
        if (viewLogits != null && viewLogits.length != logits.length) {
            throw new IllegalArgumentException("TTA scores for " + viewLogits.length + " images but plain scores for "
                    + logits.length);
        }
    }

    public int size() {
        return logits.length;
    }

    public boolean hasTta() {
        return viewLogits != null;
    }

    /** softmax(logits / temperature)[cls] of each image. */
    public double[] probabilities(int cls, double temperature) {
        double[] p = new double[logits.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = Softmax.of(logits[i], temperature)[cls];
        }
        return p;
    }

    /** The TTA probability of class {@code cls}: the mean over the 8 views of softmax(logits / temperature). */
    public double[] ttaProbabilities(int cls, double temperature) {
        if (viewLogits == null) {
            throw new IllegalStateException("these images were scored without TTA");
        }
        double[] p = new double[viewLogits.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = Tta.meanProbabilities(viewLogits[i], temperature)[cls];
        }
        return p;
    }

    /** The class with the highest logit for each image (temperature never changes it). */
    public int[] predictedClasses() {
        int[] predicted = new int[logits.length];
        for (int i = 0; i < logits.length; i++) {
            int best = 0;
            for (int k = 1; k < logits[i].length; k++) {
                if (logits[i][k] > logits[i][best]) {
                    best = k;
                }
            }
            predicted[i] = best;
        }
        return predicted;
    }
}
