package org.smearscan.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.smearscan.inference.Prediction;

/**
 * The job submitted to a Spark standalone cluster (a master and two workers on 127.0.0.1, each its own JVM),
 * with the job's jars shipped by the driver as on a real cluster. Loopback only; bounded in time.
 */
class ClusterJobTest {
    @TempDir
    Path dir;

    @AfterEach
    void release() {
        ShippedModel.closeLoaded();
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void classifiesOnTwoWorkersAsTheClassifierDoes() throws Exception {
        Path images = dir.resolve("images");
        List<Path> files = JobFixtures.cells(images, 3, 8, 21);
        Path model = JobFixtures.splitAtMedian(JobFixtures.model(dir.resolve("random.smear"), 4), files,
                dir.resolve("model.smear"));
        Map<String, Prediction> expected = JobResults.expected(model, files);
        Files.writeString(images.resolve("Parasitized").resolve("C777P77ThinF_IMG_1_cell_0.png"), "truncated");

        List<Path> jobJars = new ArrayList<>(List.of(Path.of("target", "classes")));
        jobJars.addAll(classpath(Path.of("target", "job.classpath")));
        try (StandaloneCluster cluster = StandaloneCluster.start(dir.resolve("cluster"),
                classpath(Path.of("target", "spark.classpath")), 2, Duration.ofSeconds(120))) {
            SparkSession spark = SparkSessions.builder(cluster.url(), jobJars)
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.executor.memory", "1g")
                    .config("spark.cores.max", "2")
                    .getOrCreate();
            try {
                CellScreeningJob.Summary summary = CellScreeningJob.run(spark, ShippedModel.read(model),
                        List.of(images.toString()), dir.resolve("out").toString(),
                        new CellScreeningJob.Options(8, 4, CellScreeningJob.Format.PARQUET, 1));

                assertThat(spark.sparkContext().statusTracker().getExecutorInfos())
                        .as("the driver and an executor on each worker").hasSize(3);
                List<Row> cells = JobResults.read(spark, summary.cellsOut(), CellScreeningJob.Format.PARQUET);
                assertThat(cells).hasSize(files.size() + 1);
                JobResults.assertCellsMatch(cells, expected);
                assertThat(cells).filteredOn(r -> r.getAs(CellResults.ERROR) != null).singleElement()
                        .extracting(r -> (String) r.getAs(CellResults.ERROR)).asString()
                        .contains("C777P77ThinF_IMG_1_cell_0.png");
                assertThat(summary.donors()).isEqualTo(4);
            } finally {
                spark.stop();
            }
        }
    }

    /** The entries of a classpath file the build wrote (see the module's pom). */
    static List<Path> classpath(Path file) throws IOException {
        return Files.readString(file).trim().isEmpty() ? List.of()
                : List.of(Files.readString(file).trim().split(java.io.File.pathSeparator)).stream().map(Path::of).toList();
    }
}
