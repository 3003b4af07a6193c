package org.smearscan.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.smearscan.inference.CellClassifier;
import org.smearscan.inference.FileResult;
import org.smearscan.inference.Prediction;

/** Checks a job's output against what {@link CellClassifier} answers in this JVM for the same files. */
final class JobResults {
    private JobResults() {}

    /** The single-process answers, by file name. */
    static Map<String, Prediction> expected(Path model, List<Path> files) throws IOException {
        Map<String, Prediction> byName = new HashMap<>();
        try (CellClassifier classifier = CellClassifier.load(model)) {
            for (FileResult r : classifier.predictFiles(files, false)) {
                byName.put(r.file().getFileName().toString(), r.prediction().orElseThrow());
            }
        }
        return byName;
    }

    /**
     * Every expected file has a row with the same call and status, probabilities within 1e-4, and no error. Not
     * 1e-5, the bound on real images: the fixture is an untrained network, and batches of other sizes, or threads
     * that sum in another order, moved the probabilities of an earlier fixture (random batch norms, logits in the
     * tens) by up to 2e-5; the trained model's agree within 5e-7 on the 20,556 real images
     * (scripts/compare-spark-predict.sh).
     */
    static void assertCellsMatch(List<Row> cells, Map<String, Prediction> expected) {
        double tolerance = 1e-4;
        int matched = 0;
        for (Row row : cells) {
            String name = ClassifyPartition.fileName(row.getAs(CellResults.PATH));
            Prediction want = expected.get(name);
            if (want == null) {
                continue;
            }
            matched++;
            assertThat((String) row.getAs(CellResults.ERROR)).as(name).isNull();
            assertThat((String) row.getAs(CellResults.LABEL)).as(name).isEqualTo(want.label());
            assertThat((double) row.getAs(CellResults.PARASITIZED_PROBABILITY)).as(name)
                    .isCloseTo(want.parasitizedProbability(), within(tolerance));
            assertThat((double) row.getAs(CellResults.PROBABILITY)).as(name).isCloseTo(want.probability(),
                    within(tolerance));
            assertThat((String) row.getAs(CellResults.MODEL_ID)).isEqualTo(want.modelId());
            assertThat((String) row.getAs(CellResults.STATUS)).isEqualTo(want.status().wireName());
        }
        assertThat(matched).as("rows for the expected files").isEqualTo(expected.size());
    }

    static List<Row> read(SparkSession spark, String folder, CellScreeningJob.Format format) {
        return spark.read().format(format.sparkName()).option("header", "true")
                .schema(folder.endsWith(CellScreeningJob.DONORS) ? CellResults.DONORS : CellResults.CELLS)
                .load(folder).collectAsList();
    }
}
