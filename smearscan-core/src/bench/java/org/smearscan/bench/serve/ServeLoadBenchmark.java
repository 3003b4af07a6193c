package org.smearscan.bench.serve;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.smearscan.bench.BenchCommand;
import org.smearscan.inference.CellClassifier;
import org.smearscan.inference.EngineKind;
import org.smearscan.serve.ScreeningServer;
import org.smearscan.serve.ServeOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/**
 * Load test of the screening service, bounded in clients and time and on the loopback interface only: the
 * server runs in this process on 127.0.0.1, N clients post one image per request for M seconds, first with
 * micro-batching, then with one image per forward pass (max batch 1), each on every engine asked for (the
 * engines alternating within a mode). Latency is measured by the client from sending the HTTP request to
 * having the whole response. With {@code --clients 1} each mode gives the single-request latency: one client,
 * one image at a time, the next request sent when the answer came.
 *
 * <pre>
 * ServeLoadBenchmark --model FILE [--engine pytorch,onnxruntime] [--modes batched,single] [--threads N] [--images DIR]
 *                    [--clients 16] [--seconds 20] [--max-batch 32] [--max-wait-ms 0] [--warmup 3]
 * </pre>
 * One line per engine and mode, starting {@code engine=E mode=batched|single clients=N}, with throughput, p50/p99
 * latency and errors; when both modes run, last one {@code engine=E speedup <batched/one-at-a-time>} per engine.
 * Client and server share the machine's cores, so absolute figures understate a dedicated server.
 */
@Command(name = "ServeLoadBenchmark", sortOptions = false,
        description = "Load test of the screening service on 127.0.0.1: micro-batching against one image at a time.")
public final class ServeLoadBenchmark extends BenchCommand {
    private static final int MAX_CLIENTS = 256;
    private static final int MAX_SECONDS = 600;
    private static final int MAX_IMAGES = 200;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "The model file to serve.")
    private Path model;

    @Option(names = "--engine", defaultValue = "pytorch", split = ",", paramLabel = "ENGINE", converter = EngineConverter.class,
            description = "Engines to serve with, comma-separated: pytorch, onnxruntime (default: ${DEFAULT-VALUE}).")
    private List<EngineKind> engines;

    @Option(names = "--modes", defaultValue = "batched,single", split = ",", paramLabel = "MODE",
            description = "batched (micro-batching, --max-batch and --max-wait-ms), single (max batch 1), comma-separated"
                    + " (default: ${DEFAULT-VALUE}).")
    private List<Mode> modes;

    @Option(names = "--threads", paramLabel = "N",
            description = "Engine threads (CellClassifier.setEngineThreads; default: the engine's).")
    private Integer threads;

    @Option(names = "--images", paramLabel = "DIR",
            description = "PNGs to send (the first " + MAX_IMAGES + "); default: generated discs.")
    private Path imageDir;

    @Option(names = "--clients", defaultValue = "16", paramLabel = "N",
            description = "Concurrent clients, 1.." + MAX_CLIENTS + " (default: ${DEFAULT-VALUE}).")
    private int clients;

    @Option(names = "--seconds", defaultValue = "20", paramLabel = "S",
            description = "Seconds of load for each mode, 1.." + MAX_SECONDS + " (default: ${DEFAULT-VALUE}).")
    private int seconds;

    @Option(names = "--max-batch", defaultValue = "32", paramLabel = "N",
            description = "Micro-batching's largest batch (default: ${DEFAULT-VALUE}).")
    private int maxBatch;

    @Option(names = "--max-wait-ms", defaultValue = "" + ServeOptions.DEFAULT_MAX_WAIT_MS, paramLabel = "MS",
            description = "Micro-batching's longest wait for a batch to fill (default: ${DEFAULT-VALUE}).")
    private int maxWait;

    @Option(names = "--warmup", defaultValue = "3", paramLabel = "S",
            description = "Untimed seconds of load before each mode, 0..60 (default: ${DEFAULT-VALUE}).")
    private int warmup;

    /** How the service batches: {@code batched} with --max-batch and --max-wait-ms, {@code single} one image per pass. */
    enum Mode {
        BATCHED, SINGLE;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Reads engine names as the CLI's --engine does. */
    static final class EngineConverter implements ITypeConverter<EngineKind> {
        @Override
        public EngineKind convert(String value) {
            return EngineKind.parse(value.trim());
        }
    }

    record Report(String name, long requests, long errors, double seconds, double p50Ms, double p99Ms) {
        double throughput() {
            return requests / seconds;
        }
    }

    public static void main(String[] args) {
        BenchCommand.main(new ServeLoadBenchmark(), args);
    }

    @Override
    protected void run(PrintWriter out) throws Exception {
        bounded(clients, 1, MAX_CLIENTS, "clients");
        bounded(seconds, 1, MAX_SECONDS, "seconds");
        bounded(warmup, 0, 60, "warmup");
        List<EngineKind> engineOrder = engines.stream().distinct().toList();
        List<Mode> modeOrder = modes.stream().distinct().toList();
        if (threads != null) {
            bounded(threads, 1, 1024, "threads");
            CellClassifier.setEngineThreads(threads); // before loading: ONNX Runtime reads it when opening a session
        }
        List<byte[]> images = imageDir != null ? readImages(imageDir) : generatedImages();
        Map<EngineKind, CellClassifier> classifiers = new EnumMap<>(EngineKind.class);
        try {
            for (EngineKind kind : engineOrder) {
                classifiers.put(kind, CellClassifier.load(model, kind));
            }
            CellClassifier first = classifiers.get(engineOrder.get(0));
            out.printf(Locale.ROOT, "# model %s (%s, %d px), engines %s, %d clients x %d s, %d distinct images, %s engine threads, %d cores%n",
                    first.modelId(), first.info().spec().architecture(), first.info().imageSize(),
                    engineOrder.stream().map(EngineKind::cliName).toList(), clients, seconds, images.size(),
                    threads != null ? threads : "default", Runtime.getRuntime().availableProcessors());
            Map<EngineKind, Map<Mode, Report>> reports = new EnumMap<>(EngineKind.class);
            for (Mode mode : modeOrder) {
                for (EngineKind kind : engineOrder) {
                    Report r = mode == Mode.BATCHED
                            ? measure(out, classifiers.get(kind), mode, "micro-batching (max batch " + maxBatch + ", wait "
                                    + maxWait + " ms)", maxBatch, maxWait, clients, seconds, warmup, images)
                            : measure(out, classifiers.get(kind), mode, "one at a time (max batch 1)", 1, 0, clients,
                                    seconds, warmup, images);
                    reports.computeIfAbsent(kind, k -> new EnumMap<>(Mode.class)).put(mode, r);
                }
            }
            if (modeOrder.size() == 2) {
                for (EngineKind kind : engineOrder) {
                    Map<Mode, Report> r = reports.get(kind);
                    out.printf(Locale.ROOT, "engine=%s speedup %.2f%n", kind.cliName(),
                            r.get(Mode.BATCHED).throughput() / r.get(Mode.SINGLE).throughput());
                }
            }
        } finally {
            classifiers.values().forEach(CellClassifier::close);
        }
    }

    private static Report measure(PrintWriter out, CellClassifier classifier, Mode mode, String name, int maxBatch,
            int maxWait, int clients, int seconds, int warmup, List<byte[]> images) throws Exception {
        ServeOptions options = ServeOptions.defaults().withPort(0).withBatching(maxBatch, maxWait, Math.max(256, 2 * clients));
        try (ScreeningServer server = ScreeningServer.start(classifier, options)) {
            URI uri = URI.create("http://127.0.0.1:" + server.port() + "/api/v1/classify");
            ExecutorService httpThreads = Executors.newFixedThreadPool(4, r -> {
                Thread t = new Thread(r, "load-http");
                t.setDaemon(true);
                return t;
            });
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).executor(httpThreads).build();
            List<long[]> perClient;
            double elapsed;
            try {
                if (warmup > 0) {
                    drive(http, uri, clients, warmup, images);
                }
                long start = System.nanoTime();
                perClient = drive(http, uri, clients, seconds, images);
                elapsed = (System.nanoTime() - start) / 1e9;
            } finally {
                httpThreads.shutdownNow();
            }
            List<Long> latencies = new ArrayList<>();
            long errors = 0;
            for (long[] c : perClient) {
                errors += c[0];
                for (int i = 1; i < c.length; i++) {
                    latencies.add(c[i]);
                }
            }
            Collections.sort(latencies);
            Report r = new Report(name, latencies.size(), errors, elapsed, percentile(latencies, 0.50),
                    percentile(latencies, 0.99));
            out.printf(Locale.ROOT, "engine=%-11s mode=%-7s clients=%d  %-42s %8.1f images/s  p50 %7.2f ms  p99 %7.2f ms"
                            + "  errors %d  (%d ok)%n", classifier.engine().cliName(), mode, clients, r.name(),
                    r.throughput(), r.p50Ms(), r.p99Ms(), r.errors(), r.requests());
            out.flush();
            return r;
        }
    }

    /** Each client posts as fast as answers come; returns per client {errors, latency nanos...}. */
    private static List<long[]> drive(HttpClient http, URI uri, int clients, int seconds, List<byte[]> images)
            throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<long[]>> futures = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                Random rnd = new Random(c);
                futures.add(pool.submit(() -> {
                    List<Long> latencies = new ArrayList<>();
                    long errors = 0;
                    while (System.nanoTime() < end) {
                        byte[] png = images.get(rnd.nextInt(images.size()));
                        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(120))
                                .header("Content-Type", "image/png").POST(HttpRequest.BodyPublishers.ofByteArray(png)).build();
                        long t0 = System.nanoTime();
                        try {
                            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                            if (response.statusCode() == 200) {
                                latencies.add(System.nanoTime() - t0);
                            } else {
                                errors++;
                            }
                        } catch (IOException e) {
                            errors++;
                        }
                    }
                    long[] out = new long[latencies.size() + 1];
                    out[0] = errors;
                    for (int i = 0; i < latencies.size(); i++) {
                        out[i + 1] = latencies.get(i);
                    }
                    return out;
                }));
            }
            List<long[]> results = new ArrayList<>();
            for (Future<long[]> f : futures) {
                results.add(f.get(seconds + 300L, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static double percentile(List<Long> sorted, double q) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int index = (int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1);
        return sorted.get(Math.max(0, index)) / 1e6;
    }

    private static List<byte[]> readImages(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(p -> p.toString().toLowerCase(Locale.ROOT).endsWith(".png")).sorted()
                    .limit(MAX_IMAGES).toList();
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no PNG images in " + dir);
        }
        List<byte[]> images = new ArrayList<>();
        for (Path f : files) {
            images.add(Files.readAllBytes(f));
        }
        return images;
    }

    /** Plain discs the size of a cell crop, when no real images are given. */
    private static List<byte[]> generatedImages() throws IOException {
        Random rnd = new Random(7);
        List<byte[]> images = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            int w = 110 + rnd.nextInt(50);
            int h = 110 + rnd.nextInt(50);
            BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            g.setColor(new Color(215, 140, 160));
            g.fillOval(6, 6, w - 12, h - 12);
            if (i % 2 == 0) {
                g.setColor(new Color(100, 40, 140));
                g.fillOval(w / 3 + rnd.nextInt(w / 4), h / 3 + rnd.nextInt(h / 4), 12, 12);
            }
            g.dispose();
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(image, "png", png);
            images.add(png.toByteArray());
        }
        return images;
    }

    private void bounded(int value, int min, int max, String name) {
        if (value < min || value > max) {
            throw usage("--" + name + " must be " + min + ".." + max + ", got " + value);
        }
    }
}
