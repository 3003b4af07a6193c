package org.smearscan.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.smearscan.inference.Prediction;
import org.smearscan.inference.ScreeningPipeline;
import org.smearscan.predict.InputFiles;
import org.smearscan.stats.ConfidenceIntervals;
import org.smearscan.stats.Estimate;

/**
 * Classifies cell images with Spark: {@code binaryFile} lists and reads the images under any Hadoop-compatible
 * path or glob, {@link ClassifyPartition} classifies each partition with one classifier per executor JVM, and
 * two tables are written under the output folder: {@code cells} (one row per image) and {@code donors} (per
 * donor: images, infected, share infected with its 95% interval). The donor table is computed from the cell
 * table as written, so the images are classified once.
 */
public final class CellScreeningJob {
    /** Folder names of the two outputs under the job's output folder. */
    public static final String CELLS = "cells";
    public static final String DONORS = "donors";

    /** File formats of the outputs. */
    public enum Format {
        PARQUET, CSV;

        public static Format parse(String name) {
            try {
                return valueOf(name.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown format '" + name + "'; choose parquet or csv");
            }
        }

        String sparkName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * @param batchSize     images per forward pass on an executor
     * @param partitions    at most this many tasks (Spark lists many small files as many small partitions;
     *                      fewer, larger ones fill batches); 0 keeps Spark's partitions
     * @param format        of both outputs
     * @param engineThreads threads of one forward pass on each executor; 0 leaves the engine's default
     */
    public record Options(int batchSize, int partitions, Format format, int engineThreads) {
        public Options {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
            }
            if (partitions < 0) {
                throw new IllegalArgumentException("partitions must be 0 (Spark's) or more, got " + partitions);
            }
        }
    }

    /**
     * What a run did.
     *
     * @param classified images classified
     * @param notACell   images the model could not judge (status not_a_cell, no label)
     * @param errors     images that could not be classified (listed with their error in the cell table)
     * @param donors     donors with at least one image
     * @param infected   images called infected
     * @param seconds    wall time of the whole job, listing to the last write
     */
    public record Summary(String modelId, long classified, long notACell, long errors, long donors, long infected,
            double seconds, String cellsOut, String donorsOut) {
        public double imagesPerSecond() {
            return (classified + notACell + errors) / seconds;
        }
    }

    private CellScreeningJob() {}

    /** Runs the job; fails before reading any image when {@code out} already holds results. */
    public static Summary run(SparkSession spark, ShippedModel model, List<String> inputs, String out, Options options)
            throws IOException {
        long start = System.nanoTime();
        String cellsOut = new Path(out, CELLS).toString();
        String donorsOut = new Path(out, DONORS).toString();
        requireAbsent(spark, cellsOut, donorsOut);

        Broadcast<ShippedModel> shipped = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(model);
        Dataset<Row> files = spark.read().format("binaryFile")
                .option("recursiveFileLookup", "true")
                .option("pathGlobFilter", imageGlob())
                .load(inputs.toArray(String[]::new));
        if (options.partitions() > 0 && files.rdd().getNumPartitions() > options.partitions()) {
            files = files.coalesce(options.partitions());
        }
        Dataset<Row> cells = files.mapPartitions(new ClassifyPartition(shipped, options.batchSize(),
                ScreeningPipeline.Options.defaults().maxPixels(), options.engineThreads()), Encoders.row(CellResults.CELLS));
        writer(cells, options.format()).save(cellsOut);

        Dataset<Row> written = reader(spark, options.format()).schema(CellResults.CELLS).load(cellsOut);
        List<Row> donors = donorRows(written, model);
        writer(spark.createDataFrame(donors, CellResults.DONORS).coalesce(1), options.format()).save(donorsOut);
        shipped.destroy();

        long classified = total(donors, "images");
        long infected = total(donors, "infected");
        long notACell = total(donors, "not_a_cell");
        long errors = total(donors, "errors");
        return new Summary(model.modelId(), classified, notACell, errors, donors.size(), infected,
                (System.nanoTime() - start) / 1e9, cellsOut, donorsOut);
    }

    /** Per donor, from the cell table: a few counts per donor travel to the driver, never the cells. */
    private static List<Row> donorRows(Dataset<Row> cells, ShippedModel model) {
        String positive = model.info().positiveClassName();
        String notACell = Prediction.Status.NOT_A_CELL.wireName();
        List<Row> counts = cells.groupBy(CellResults.DONOR).agg(
                        count(when(col(CellResults.ERROR).isNull().and(col(CellResults.STATUS).notEqual(notACell)),
                                lit(1))).as("images"),
                        sum(when(col(CellResults.LABEL).equalTo(positive), lit(1L)).otherwise(lit(0L))).as("infected"),
                        count(when(col(CellResults.STATUS).equalTo(notACell), lit(1))).as("not_a_cell"),
                        count(when(col(CellResults.ERROR).isNotNull(), lit(1))).as("errors"))
                .orderBy(CellResults.DONOR).collectAsList();
        List<Row> rows = new ArrayList<>(counts.size());
        for (Row c : counts) {
            long images = c.getLong(1);
            long infected = c.getLong(2);
            Estimate share = images == 0 ? Estimate.UNDEFINED : ConfidenceIntervals.wilson(infected, images);
            rows.add(RowFactory.create(c.getString(0), images, infected, nullIfNaN(share.value()),
                    nullIfNaN(share.lo()), nullIfNaN(share.hi()), c.getLong(3), c.getLong(4), model.modelId()));
        }
        return rows;
    }

    private static long total(List<Row> donors, String column) {
        int index = CellResults.DONORS.fieldIndex(column);
        return donors.stream().mapToLong(r -> r.getLong(index)).sum();
    }

    private static Double nullIfNaN(double value) {
        return Double.isNaN(value) ? null : value;
    }

    /** Only image files: the extensions {@code smearscan predict} picks in a folder, in either case. */
    static String imageGlob() {
        return InputFiles.IMAGE_EXTENSIONS.stream().sorted()
                .flatMap(e -> Stream.of(e, e.toUpperCase(Locale.ROOT)))
                .collect(Collectors.joining(",", "*.{", "}"));
    }

    private static void requireAbsent(SparkSession spark, String... outputs) throws IOException {
        for (String output : outputs) {
            Path path = new Path(output);
            FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (fs.exists(path)) {
                throw new IllegalArgumentException(output + " already exists: the job does not overwrite earlier"
                        + " results; choose another --out or remove it");
            }
        }
    }

    private static DataFrameWriter<Row> writer(Dataset<Row> rows, Format format) {
        DataFrameWriter<Row> writer = rows.write().mode(SaveMode.ErrorIfExists).format(format.sparkName());
        return format == Format.CSV ? writer.option("header", "true") : writer;
    }

    private static DataFrameReader reader(SparkSession spark, Format format) {
        DataFrameReader reader = spark.read().format(format.sparkName());
        return format == Format.CSV ? reader.option("header", "true") : reader;
    }
}
