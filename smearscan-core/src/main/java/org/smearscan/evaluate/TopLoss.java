package org.smearscan.evaluate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.smearscan.inference.Softmax;

/**
 * One of the images the model got most wrong: the largest cross-entropy losses, which are confident
 * mistakes and, as often, mislabelled images.
 *
 * @param index                  position of the image in the evaluated list
 * @param actual                 its label
 * @param predicted              the class with the highest probability
 * @param loss                   -ln p(actual)
 * @param probabilityOfActual    p(actual)
 * @param probabilityOfPredicted p(predicted)
 */
public record TopLoss(int index, int actual, int predicted, double loss, double probabilityOfActual,
        double probabilityOfPredicted) {

    /** The {@code k} highest losses, highest first (ties by index, for a stable order). */
    public static List<TopLoss> of(ModelScores scores, int[] labels, double temperature, int k) {
        if (labels.length != scores.size()) {
            throw new IllegalArgumentException("got " + scores.size() + " scores but " + labels.length + " labels");
        }
        List<TopLoss> all = new ArrayList<>(scores.size());
        for (int i = 0; i < scores.size(); i++) {
            double[] p = Softmax.of(scores.logits()[i], temperature);
            int predicted = IntStream.range(0, p.length).reduce((a, b) -> p[b] > p[a] ? b : a).orElseThrow();
            double pActual = p[labels[i]];
            double loss = -Math.log(Math.max(pActual, WeightedScores.LOG_LOSS_EPSILON));
            all.add(new TopLoss(i, labels[i], predicted, loss, pActual, p[predicted]));
        }
        all.sort(Comparator.comparingDouble(TopLoss::loss).reversed().thenComparingInt(TopLoss::index));
        return List.copyOf(all.subList(0, Math.min(k, all.size())));
    }
}
