package org.smearscan.inference;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.smearscan.data.CellDataset;
import org.smearscan.data.CellImage;
import org.smearscan.data.ImageDecoding;
import org.smearscan.data.Split;
import org.smearscan.data.SplitFile;
import org.smearscan.data.UnreadableImageException;
import org.smearscan.modelfile.ModelInfo;
import org.smearscan.onnx.EmbeddedGraph;
import org.smearscan.stats.FeatureDistance;

/**
 * Fits a model's out-of-distribution score: the distribution of its features over training images, and the
 * threshold that leaves {@value #VALIDATION_SHARE_ABOVE} of validation images (which the fit did not see) above
 * it. Unreadable images are left out.
 */
public final class OodFit {
    /** Share of in-distribution validation images the threshold leaves above it: 1 in 200. */
    public static final double VALIDATION_SHARE_ABOVE = 0.005;
    /** Training images the distribution is fitted on at most (a seeded sample beyond that). */
    public static final int MAX_TRAINING_IMAGES = 10_000;
    private static final int CHUNK = 256;

    private OodFit() {}

    public static FeatureDistance fit(CellClassifier classifier, List<CellImage> train, List<CellImage> valid,
            long seed) {
        List<CellImage> sample = new ArrayList<>(train);
        if (sample.size() > MAX_TRAINING_IMAGES) {
            Collections.shuffle(sample, new Random(seed));
            sample = sample.subList(0, MAX_TRAINING_IMAGES);
        }
        Features trainFeatures = features(classifier, sample);
        FeatureDistance distance = FeatureDistance.fit(trainFeatures.rows(), trainFeatures.labels(),
                classifier.info().classes().size(), trainFeatures.rows().length + " training images");
        Features validFeatures = features(classifier, valid);
        double[] scores = new double[validFeatures.rows().length];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = distance.score(validFeatures.rows()[i]);
        }
        double threshold = FeatureDistance.thresholdAt(scores, VALIDATION_SHARE_ABOVE);
        return distance.withThreshold(threshold, distance.fittedOn() + "; threshold leaving "
                + VALIDATION_SHARE_ABOVE * 100 + "% of " + scores.length + " validation images above it");
    }

    /**
     * Adds the score to a model trained without it (or fits it again): the distribution on the training side
     * of the model's split file, the threshold on its validation side; writes the model with it to {@code out}.
     *
     * @return the fitted score
     */
    public static FeatureDistance addTo(Path model, Path data, Path splitFile, Path out, long seed) throws IOException {
        if (Files.exists(out) && !Files.isSameFile(out, model)) {
            throw new IOException(out + " already exists; choose another --out");
        }
        CellDataset dataset = CellDataset.scan(data);
        SplitFile split = SplitFile.read(splitFile);
        if (!split.matches(dataset)) {
            throw new IOException(data + " is not the data set of " + splitFile + " (its fingerprint differs)");
        }
        Split sides = split.resolve(dataset);
        FeatureDistance ood;
        ModelInfo info;
        try (CellClassifier classifier = CellClassifier.load(model)) {
            ood = fit(classifier, sides.train(), sides.valid(), seed);
            info = classifier.info();
        }
        EmbeddedGraph.rewrite(model, out, info.withOod(ood));
        return ood;
    }

    /** Features and labels of the readable images. */
    private record Features(float[][] rows, int[] labels) {}

    private static Features features(CellClassifier classifier, List<CellImage> images) {
        List<float[]> rows = new ArrayList<>(images.size());
        List<Integer> labels = new ArrayList<>(images.size());
        for (int start = 0; start < images.size(); start += CHUNK) {
            List<CellImage> chunk = images.subList(start, Math.min(images.size(), start + CHUNK));
            // decoding is the slow part: in parallel, then one forward pass per chunk
            List<byte[]> prepared = chunk.parallelStream().map(image -> prepare(classifier, image)).toList();
            List<byte[]> readable = new ArrayList<>(prepared.size());
            for (int i = 0; i < prepared.size(); i++) {
                if (prepared.get(i) != null) {
                    readable.add(prepared.get(i));
                    labels.add(chunk.get(i).label());
                }
            }
            if (!readable.isEmpty()) {
                Collections.addAll(rows, classifier.features(readable, CellClassifier.DEFAULT_BATCH));
            }
        }
        return new Features(rows.toArray(float[][]::new), labels.stream().mapToInt(Integer::intValue).toArray());
    }

    private static byte[] prepare(CellClassifier classifier, CellImage image) {
        try {
            return classifier.prepare(ImageDecoding.read(image.path()));
        } catch (UnreadableImageException e) {
            return null;
        }
    }
}
