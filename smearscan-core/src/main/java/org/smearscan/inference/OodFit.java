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
import org.smearscan.data.PixelStatistics;
import org.smearscan.data.Split;
import org.smearscan.data.SplitFile;
import org.smearscan.data.UnreadableImageException;
import org.smearscan.modelfile.ModelInfo;
import org.smearscan.modelfile.OutOfDistribution;
import org.smearscan.onnx.EmbeddedGraph;
import org.smearscan.stats.FeatureDistance;

/**
 * Fits a model's out-of-distribution score ({@link OutOfDistribution}): the distributions of its features and of
 * the pixel statistics over training images, and for each a threshold that leaves {@value #SHARE_EACH} of
 * validation images (which the fit did not see) above it. Unreadable images are left out.
 */
public final class OodFit {
    /** Share of validation images each of the two thresholds leaves above it: together at most 1 in 200. */
    public static final double SHARE_EACH = 0.0025;
    /** Training images the distribution is fitted on at most (a seeded sample beyond that). */
    public static final int MAX_TRAINING_IMAGES = 10_000;
    private static final int CHUNK = 256;

    private OodFit() {}

    public static OutOfDistribution fit(CellClassifier classifier, List<CellImage> train, List<CellImage> valid,
            long seed) {
        List<CellImage> sample = new ArrayList<>(train);
        if (sample.size() > MAX_TRAINING_IMAGES) {
            Collections.shuffle(sample, new Random(seed));
            sample = sample.subList(0, MAX_TRAINING_IMAGES);
        }
        int classes = classifier.info().classes().size();
        Described t = describe(classifier, sample);
        Described v = describe(classifier, valid);
        FeatureDistance features = FeatureDistance.fit(t.features(), t.labels(), classes, "network features");
        FeatureDistance pixels = FeatureDistance.fit(t.pixels(), t.labels(), classes, "pixel statistics");
        features = features.withThreshold(FeatureDistance.thresholdAt(scores(features, v.features()), SHARE_EACH),
                features.fittedOn());
        pixels = pixels.withThreshold(FeatureDistance.thresholdAt(scores(pixels, v.pixels()), SHARE_EACH),
                pixels.fittedOn());
        return new OutOfDistribution(features, pixels, t.labels().length + " training images; thresholds leaving "
                + SHARE_EACH * 100 + "% each of " + v.labels().length + " validation images above them");
    }

    private static double[] scores(FeatureDistance distance, float[][] rows) {
        double[] s = new double[rows.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = distance.score(rows[i]);
        }
        return s;
    }

    /**
     * Adds the score to a model trained without it (or fits it again): the distribution on the training side
     * of the model's split file, the threshold on its validation side; writes the model with it to {@code out}.
     *
     * @return the fitted score
     */
    public static OutOfDistribution addTo(Path model, Path data, Path splitFile, Path out, long seed) throws IOException {
        if (Files.exists(out) && !Files.isSameFile(out, model)) {
            throw new IOException(out + " already exists; choose another --out");
        }
        CellDataset dataset = CellDataset.scan(data);
        SplitFile split = SplitFile.read(splitFile);
        if (!split.matches(dataset)) {
            throw new IOException(data + " is not the data set of " + splitFile + " (its fingerprint differs)");
        }
        Split sides = split.resolve(dataset);
        OutOfDistribution ood;
        ModelInfo info;
        try (CellClassifier classifier = CellClassifier.load(model)) {
            ood = fit(classifier, sides.train(), sides.valid(), seed);
            info = classifier.info();
        }
        EmbeddedGraph.rewrite(model, out, info.withOod(ood));
        return ood;
    }

    /** Features, pixel statistics and labels of the readable images. */
    private record Described(float[][] features, float[][] pixels, int[] labels) {}

    private static Described describe(CellClassifier classifier, List<CellImage> images) {
        List<float[]> features = new ArrayList<>(images.size());
        List<float[]> pixels = new ArrayList<>(images.size());
        List<Integer> labels = new ArrayList<>(images.size());
        int size = classifier.info().imageSize();
        for (int start = 0; start < images.size(); start += CHUNK) {
            List<CellImage> chunk = images.subList(start, Math.min(images.size(), start + CHUNK));
            // decoding is the slow part: in parallel, then one forward pass per chunk
            List<byte[]> prepared = chunk.parallelStream().map(image -> prepare(classifier, image)).toList();
            List<byte[]> readable = new ArrayList<>(prepared.size());
            for (int i = 0; i < prepared.size(); i++) {
                if (prepared.get(i) != null) {
                    readable.add(prepared.get(i));
                    pixels.add(PixelStatistics.describe(prepared.get(i), size));
                    labels.add(chunk.get(i).label());
                }
            }
            if (!readable.isEmpty()) {
                Collections.addAll(features, classifier.features(readable, CellClassifier.DEFAULT_BATCH));
            }
        }
        return new Described(features.toArray(float[][]::new), pixels.toArray(float[][]::new),
                labels.stream().mapToInt(Integer::intValue).toArray());
    }

    private static byte[] prepare(CellClassifier classifier, CellImage image) {
        try {
            return classifier.prepare(ImageDecoding.read(image.path()));
        } catch (UnreadableImageException e) {
            return null;
        }
    }
}
