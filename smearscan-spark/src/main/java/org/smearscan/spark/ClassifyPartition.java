package org.smearscan.spark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.SparkFiles;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.smearscan.data.Donor;
import org.smearscan.data.ImageDecoding;
import org.smearscan.data.UnreadableImageException;
import org.smearscan.inference.CellClassifier;
import org.smearscan.inference.Prediction;

/**
 * Classifies one partition of {@code binaryFile} rows (path, modificationTime, length, content) with the JVM's
 * one classifier, a batch at a time, so that memory stays bounded whatever the partition's size. An image that
 * cannot be decoded becomes a row with its error: one bad file never fails a stage.
 */
final class ClassifyPartition implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    private final Broadcast<ShippedModel> model;
    private final int batchSize;
    private final long maxPixels;
    private final int engineThreads;

    /**
     * @param engineThreads threads of one forward pass on each executor; 0 leaves the engine's default
     */
    ClassifyPartition(Broadcast<ShippedModel> model, int batchSize, long maxPixels, int engineThreads) {
        this.model = model;
        this.batchSize = batchSize;
        this.maxPixels = maxPixels;
        this.engineThreads = engineThreads;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> files) {
        if (engineThreads > 0) {
            CellClassifier.setEngineThreads(engineThreads);
        }
        CellClassifier classifier = model.value().open(Path.of(SparkFiles.getRootDirectory()));
        return new Iterator<>() {
            private Iterator<Row> batch = List.<Row>of().iterator();

            @Override
            public boolean hasNext() {
                while (!batch.hasNext() && files.hasNext()) {
                    batch = classify(classifier, files).iterator();
                }
                return batch.hasNext();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return batch.next();
            }
        };
    }

    /** Takes up to one batch of files and answers a row for each, in their order. */
    private List<Row> classify(CellClassifier classifier, Iterator<Row> files) {
        List<String> paths = new ArrayList<>(batchSize);
        List<byte[]> prepared = new ArrayList<>(batchSize);
        String[] errors = new String[batchSize];
        while (paths.size() < batchSize && files.hasNext()) {
            Row file = files.next();
            String path = file.getString(file.fieldIndex("path"));
            byte[] content = file.getAs("content");
            try {
                prepared.add(classifier.prepare(ImageDecoding.decode(content, path, maxPixels)));
            } catch (UnreadableImageException e) {
                prepared.add(null);
                errors[paths.size()] = e.getMessage();
            }
            paths.add(path);
        }
        List<byte[]> decoded = prepared.stream().filter(p -> p != null).toList();
        Iterator<Prediction> predictions = decoded.isEmpty() ? List.<Prediction>of().iterator()
                : classifier.predictPrepared(decoded, false, batchSize).iterator();
        List<Row> rows = new ArrayList<>(paths.size());
        for (int i = 0; i < paths.size(); i++) {
            String path = paths.get(i);
            String donor = Donor.of(Path.of(fileName(path)));
            if (prepared.get(i) == null) {
                rows.add(RowFactory.create(path, donor, null, null, null, null, classifier.modelId(), null, null,
                        errors[i]));
            } else {
                Prediction p = predictions.next();
                rows.add(RowFactory.create(path, donor, p.judgedLabel(), p.probability(),
                        p.parasitizedProbability(), p.threshold(), p.modelId(),
                        p.oodScoreOrNull(), p.status().wireName(), null));
            }
        }
        return rows;
    }

    /** The last segment of a path as Spark lists it ({@code file:/data/P/x.png}, {@code hdfs://nn/x.png}). */
    static String fileName(String sparkPath) {
        return sparkPath.substring(sparkPath.lastIndexOf('/') + 1);
    }
}
