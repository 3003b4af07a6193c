package org.smearscan.spark;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.smearscan.inference.DistributionShift;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The command line of the Spark job ({@code bin/smearscan-spark}, or the main class of a spark-submit). */
@Command(name = "smearscan-spark", mixinStandardHelpOptions = true,
        description = {"Classify cell images on Apache Spark, with the classifier of a SmearScan model file.",
            "Writes OUT/cells (path, donor, label, probabilities, threshold, model_id, error per image) and"
                    + " OUT/donors (images, infected, share infected with a 95%% interval per donor)."
                    + " An unreadable image gets a row with its error; the others are still classified."})
public final class SparkScreenCommand implements Callable<Integer> {
    /** System property with the jars executors of a cluster need (bin/smearscan-spark sets it). */
    public static final String JOB_JARS_PROPERTY = "smearscan.spark.jobJars";

    @Parameters(index = "0", paramLabel = "MODEL", description = "Model file (*.smear), verified before any task.")
    Path model;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "INPUT",
            description = "Folders (searched recursively for images), files or globs, on any Hadoop-compatible"
                    + " file system (file:, hdfs:, s3a: ...).")
    List<String> inputs;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder; must not hold results yet.")
    String out;

    @Option(names = "--master", paramLabel = "URL",
            description = "local[N], local[*] or spark://HOST:PORT (default: spark-submit's, else local[*]).")
    String master;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "parquet",
            description = "parquet or csv (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = {"--bs", "--batch-size"}, paramLabel = "N", defaultValue = "64",
            description = "Images per forward pass on an executor (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--partitions", paramLabel = "N",
            description = "At most N tasks (default: 4 per executor core; 0 keeps Spark's one per few files).")
    Integer partitions;

    @Option(names = "--engine-threads", paramLabel = "N",
            description = "Threads of one forward pass on an executor (default: N of local[N], else the engine's).")
    Integer engineThreads;

    @Option(names = "--job-jars", paramLabel = "PATHS", split = ":",
            description = "Jars (or classes folders) that executors of a cluster need; bin/smearscan-spark passes"
                    + " them. Not needed with local masters or with spark-submit --jars.")
    List<Path> jobJars;

    @Option(names = "--verbose", description = "On failure, print the whole stack trace.")
    boolean verbose;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code, for tests. */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new SparkScreenCommand());
        cli.setExecutionExceptionHandler(SparkScreenCommand::reportFailure);
        return cli.execute(args);
    }

    /**
     * The problem in one line (for a failed task, Spark's message holds the executor's stack trace: its first
     * line names the cause); the stack trace only with --verbose.
     */
    private static int reportFailure(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        String message = e.getMessage() != null ? e.getMessage().lines().findFirst().orElse("") : e.toString();
        cli.getErr().println("smearscan-spark: error: " + message);
        if (parsed.hasMatchedOption("--verbose")) {
            e.printStackTrace(cli.getErr());
        } else {
            cli.getErr().println("(run again with --verbose for details)");
        }
        cli.getErr().flush();
        return 1;
    }

    @Override
    public Integer call() throws Exception {
        CellScreeningJob.Format outputFormat = CellScreeningJob.Format.parse(format);
        ShippedModel shipped = ShippedModel.read(model);
        System.err.printf(Locale.ROOT, "model %s (%s), verified%n", model, shipped.modelId());
        SparkSession spark = SparkSessions.builder(master, jobJarsFrom(jobJars))
                .config("spark.ui.showConsoleProgress", "true") // a progress bar per stage on stderr
                .getOrCreate();
        try {
            String resolvedMaster = spark.sparkContext().master();
            int cores = spark.sparkContext().defaultParallelism();
            int threads = engineThreads != null ? engineThreads : SparkSessions.localThreads(resolvedMaster);
            CellScreeningJob.Options options = new CellScreeningJob.Options(batchSize,
                    partitions != null ? partitions : 4 * cores, outputFormat, threads);
            CellScreeningJob.Summary s = CellScreeningJob.run(spark, shipped, inputs, out, options);
            System.err.printf(Locale.ROOT, "%d images classified (%d infected), %d not a cell, %d errors, %d donors"
                    + " in %.1f s (%.1f images/s) on %s%n", s.classified(), s.infected(), s.notACell(), s.errors(),
                    s.donors(), s.seconds(), s.imagesPerSecond(), resolvedMaster);
            DistributionShift.warning((int) s.notACell(), (int) (s.classified() + s.notACell()))
                    .ifPresent(w -> System.err.println("smearscan-spark: warning: " + w));
            System.out.println(s.cellsOut());
            System.out.println(s.donorsOut());
            return 0;
        } finally {
            spark.stop();
            ShippedModel.closeLoaded();
        }
    }

    private static List<Path> jobJarsFrom(List<Path> given) {
        if (given != null) {
            return given;
        }
        String property = System.getProperty(JOB_JARS_PROPERTY, "");
        List<Path> jars = new ArrayList<>();
        for (String entry : property.split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                jars.add(Path.of(entry));
            }
        }
        return jars;
    }
}
