package org.smearscan.spark;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Spark standalone cluster on 127.0.0.1 started from the jars the build resolved: a master and workers, each a
 * JVM of its own, as {@code sbin/start-master.sh} and {@code start-worker.sh} would start them. The workers find
 * Spark's jars for their executors in a Spark home of links to those jars, as in an installation's
 * {@code jars/}; everything of SmearScan reaches the executors the way it does on a real cluster, shipped by the
 * driver ({@code spark.jars}).
 */
final class StandaloneCluster implements AutoCloseable {
    private static final Pattern ALIVE_WORKERS = Pattern.compile("\"aliveworkers\"\\s*:\\s*(\\d+)");

    private final List<Process> processes = new ArrayList<>();
    private final Path logs;
    private final Path home;
    private final String url;

    private StandaloneCluster(Path logs, Path home, String url) {
        this.logs = logs;
        this.home = home;
        this.url = url;
    }

    /** Starts a master and {@code workers} workers of one core each; returns once all have registered. */
    static StandaloneCluster start(Path dir, List<Path> sparkJars, int workers, Duration timeout)
            throws IOException, InterruptedException {
        // outside the caller's folder, which a test framework may clean without following links
        Path home = Files.createTempDirectory("smearscan-spark-home");
        Path jars = Files.createDirectories(home.resolve("jars"));
        for (Path jar : sparkJars) {
            Files.createSymbolicLink(jars.resolve(jar.getFileName()), jar.toAbsolutePath());
        }
        Path logs = Files.createDirectories(dir.resolve("logs"));
        int port = freePort();
        int uiPort = freePort();
        StandaloneCluster cluster = new StandaloneCluster(logs, home, "spark://127.0.0.1:" + port);
        try {
            cluster.launch("master", home, sparkJars, "org.apache.spark.deploy.master.Master",
                    "--host", "127.0.0.1", "--port", Integer.toString(port), "--webui-port", Integer.toString(uiPort));
            for (int w = 1; w <= workers; w++) {
                Path work = Files.createDirectories(dir.resolve("worker-" + w));
                cluster.launch("worker-" + w, home, sparkJars, "org.apache.spark.deploy.worker.Worker",
                        "--host", "127.0.0.1", "--cores", "1", "--memory", "2g",
                        "--webui-port", Integer.toString(freePort()), "--work-dir", work.toString(), cluster.url);
            }
            cluster.awaitWorkers(uiPort, workers, timeout);
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** The master's URL, {@code spark://127.0.0.1:PORT}. */
    String url() {
        return url;
    }

    private void launch(String name, Path home, List<Path> sparkJars, String mainClass, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", String.join(File.pathSeparator, sparkJars.stream().map(Path::toString).toList())));
        command.addAll(moduleOptions());
        command.add(mainClass);
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(logs.resolve(name + ".log").toFile());
        builder.environment().put("SPARK_HOME", home.toString());
        builder.environment().put("SPARK_SCALA_VERSION", "2.12");
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        processes.add(builder.start());
    }

    private void awaitWorkers(int uiPort, int workers, Duration timeout) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + uiPort + "/json/")).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < processes.size(); i++) {
                if (!processes.get(i).isAlive()) {
                    String name = i == 0 ? "master" : "worker-" + i;
                    String log = log(name);
                    throw new IllegalStateException("the cluster's " + name + " ended with "
                            + processes.get(i).exitValue() + "; its log ends:\n"
                            + log.substring(Math.max(0, log.length() - 4000)));
                }
            }
            try {
                Matcher m = ALIVE_WORKERS.matcher(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
                if (m.find() && Integer.parseInt(m.group(1)) >= workers) {
                    return;
                }
            } catch (IOException notYet) {
                // the master's web UI is not up yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(workers + " workers did not register within " + timeout + "; see " + logs);
    }

    /** Log of one process ({@code master}, {@code worker-1}, ...), for a failure message. */
    String log(String name) throws IOException {
        return Files.readString(logs.resolve(name + ".log"));
    }

    @Override
    public void close() throws InterruptedException, IOException {
        for (int i = processes.size() - 1; i >= 0; i--) { // workers first: each stops its executors
            processes.get(i).destroy();
        }
        for (Process p : processes) {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
        }
        try (Stream<Path> links = Files.list(home.resolve("jars"))) {
            for (Path link : (Iterable<Path>) links::iterator) {
                Files.delete(link);
            }
        }
        Files.delete(home.resolve("jars"));
        Files.delete(home);
    }

    /** The options that open JDK internals to Spark, as this JVM got them (the build's argLine). */
    private static List<String> moduleOptions() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("-XX:+IgnoreUnrecognizedVMOptions")
                        || a.startsWith("-Djdk.reflect.useDirectMethodHandle"))
                .toList();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
