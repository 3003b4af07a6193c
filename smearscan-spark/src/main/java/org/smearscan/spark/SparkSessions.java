package org.smearscan.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;

/** Spark sessions set up as the job needs them on a local master or a cluster. */
public final class SparkSessions {
    private static final Pattern LOCAL = Pattern.compile("local\\[(\\d+)(?:,\\d+)?]");

    private SparkSessions() {}

    /**
     * A builder for {@code master} (null: spark-submit's, else {@code local[*]}). On a cluster, executors get
     * the job's jars ({@code spark.jars}), the same quiet engine settings bin/smearscan gives the CLI, and never
     * go online: the PyTorch natives come from the shipped jars.
     */
    public static SparkSession.Builder builder(String master, List<Path> jobJars) {
        SparkSession.Builder builder = SparkSession.builder().appName("smearscan-spark")
                .config("spark.executorEnv.OPT_OUT_TRACKING", "true")
                .config("spark.executorEnv.OMP_WAIT_POLICY", "PASSIVE")
                .config("spark.executor.extraJavaOptions", "-Dai.djl.offline=true")
                // a glob that matches thousands of files is listed by a Spark job of up to 10,000 tasks by
                // default, each listing one file: 64 tasks list them as well, with far less overhead
                .config("spark.sql.sources.parallelPartitionDiscovery.parallelism", "64");
        String resolved = master != null ? master : System.getProperty("spark.master", "local[*]");
        builder.master(resolved);
        if (!resolved.startsWith("local") && !jobJars.isEmpty()) {
            try {
                builder.config("spark.jars", String.join(",", JobJars.of(jobJars)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return builder;
    }

    /** N of {@code local[N]}, the cores a local master gives the one executor; 0 for other masters. */
    static int localThreads(String master) {
        Matcher m = LOCAL.matcher(master);
        if (m.matches()) {
            return Integer.parseInt(m.group(1));
        }
        return master.startsWith("local[*]") ? Runtime.getRuntime().availableProcessors() : master.equals("local") ? 1 : 0;
    }
}
