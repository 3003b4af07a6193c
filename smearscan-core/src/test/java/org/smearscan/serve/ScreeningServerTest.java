package org.smearscan.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.smearscan.inference.CellClassifier;
import org.smearscan.inference.Prediction;
import org.smearscan.serve.TestHttp.Answer;
import org.smearscan.serve.TestHttp.Part;
import org.smearscan.testing.TestModels;

class ScreeningServerTest {
    private static final int MAX_FILES = 4;
    private static final long MAX_PIXELS = 250_000;
    private static final long MAX_UPLOAD = 1 << 20;

    private static CellClassifier classifier;
    private static ScreeningServer server;
    private static TestHttp http;

    @BeforeAll
    static void start() throws IOException {
        classifier = CellClassifier.load(TestModels.trained());
        server = ScreeningServer.start(classifier, ServeOptions.defaults().withPort(0)
                .withLimits(MAX_UPLOAD, MAX_FILES, MAX_PIXELS));
        http = new TestHttp(server.port());
    }

    @AfterAll
    static void stop() {
        server.close();
        classifier.close();
    }

    private static byte[] cellPng(long seed, boolean parasitized) {
        return TestHttp.png(TestModels.cells(seed, 1, parasitized).get(0));
    }

    @Test
    void severalFilesInOneMultipartRequestAreAnsweredInOrder() {
        List<BufferedImage> cells = new ArrayList<>(TestModels.cells(1, 2, true));
        cells.addAll(TestModels.cells(2, 1, false));
        List<Part> parts = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            parts.add(Part.image("cell-" + i + ".png", TestHttp.png(cells.get(i))));
        }
        Answer answer = http.multipart("/api/v1/classify", parts);

        assertThat(answer.status()).isEqualTo(200);
        JsonNode results = answer.json().get("results");
        assertThat(results).hasSize(3);
        List<Prediction> direct = classifier.predictAll(cells);
        for (int i = 0; i < 3; i++) {
            JsonNode r = results.get(i);
            assertThat(r.get("name").asText()).isEqualTo("cell-" + i + ".png");
            assertThat(r.get("label").asText()).isEqualTo(direct.get(i).label());
            assertThat(r.get("parasitizedProbability").asDouble())
                    .isCloseTo(direct.get(i).parasitizedProbability(), within(1e-5));
            assertThat(r.get("probability").asDouble()).isCloseTo(direct.get(i).probability(), within(1e-5));
            assertThat(r.get("threshold").asDouble()).isEqualTo(0.5);
            assertThat(r.get("modelId").asText()).isEqualTo(classifier.modelId());
            assertThat(r.has("heatmap")).isFalse();
        }
    }

    @Test
    void rawImageBodyIsClassified() {
        Answer answer = http.raw("/api/v1/classify?name=smear-7.png", "image/png", cellPng(3, true));
        assertThat(answer.status()).isEqualTo(200);
        JsonNode r = answer.json().get("results").get(0);
        assertThat(r.get("name").asText()).isEqualTo("smear-7.png");
        assertThat(r.get("label").asText()).isEqualTo("Parasitized");
    }

    @Test
    void heatmapComesAsAPngDataUriOfTheImage() throws IOException {
        BufferedImage cell = TestModels.cells(4, 1, true).get(0);
        Answer answer = http.multipart("/api/v1/classify?heatmap=true", List.of(Part.image("c.png", TestHttp.png(cell))));
        assertThat(answer.status()).isEqualTo(200);
        String uri = answer.json().get("results").get(0).get("heatmap").asText();
        assertThat(uri).startsWith("data:image/png;base64,");
        BufferedImage heat = ImageIO.read(new ByteArrayInputStream(
                Base64.getDecoder().decode(uri.substring("data:image/png;base64,".length()))));
        assertThat(heat.getWidth()).isEqualTo(cell.getWidth());
        assertThat(heat.getHeight()).isEqualTo(cell.getHeight());
    }

    @Test
    void badInputGets4xxWithAJsonErrorAndTheServerCarriesOn() {
        byte[] png = cellPng(5, true);
        byte[] big = TestHttp.png(TestModels.cells(6, 1, true).get(0).getSubimage(0, 0, 10, 10));
        BufferedImage tooManyPixels = new BufferedImage(600, 600, BufferedImage.TYPE_INT_RGB);
        byte[] noise = new byte[(int) MAX_UPLOAD + 4096];
        new Random(1).nextBytes(noise);
        List<Part> tooMany = new ArrayList<>();
        for (int i = 0; i <= MAX_FILES; i++) {
            tooMany.add(Part.image("c" + i + ".png", png));
        }

        expectError(http.multipart("/api/v1/classify", List.of(new Part("file", "notes.txt", "text/plain",
                "not an image".getBytes()))), 422, "notes.txt", "not an image");
        expectError(http.multipart("/api/v1/classify", List.of(Part.image("cut.png", Arrays.copyOf(png, png.length / 2)))),
                422, "cut.png", "truncated or corrupt");
        expectError(http.multipart("/api/v1/classify", List.of(Part.image("header.png", Arrays.copyOf(png, 20)))),
                422, "header.png", "truncated or corrupt");
        expectError(http.multipart("/api/v1/classify", List.of(Part.image("wide.png", TestHttp.png(tooManyPixels)))),
                413, "wide.png", "600x600");
        expectError(http.raw("/api/v1/classify?name=bomb.png", "image/png", TestHttp.decompressionBomb(100_000)),
                413, "bomb.png", "100000x100000");
        expectError(http.raw("/api/v1/classify", "image/png", noise), 413, "exceeds the limit");
        expectError(http.chunked("/api/v1/classify", "image/png", noise), 413, "exceeds the limit");
        expectError(http.multipart("/api/v1/classify", List.of(Part.image("huge.png", noise))), 413, "exceeds the limit");
        expectError(http.multipart("/api/v1/classify", List.of(Part.image("huge.png", noise)), true), 413, "exceeds the limit");
        byte[] half = Arrays.copyOf(noise, noise.length / 2 + 1024);
        expectError(http.multipart("/api/v1/classify", List.of(Part.image("a.png", half), Part.image("b.png", half)), true),
                413, "exceeds the limit");
        expectError(http.multipart("/api/v1/classify", tooMany), 413, (MAX_FILES + 1) + " files", "limit is " + MAX_FILES);
        expectError(http.multipart("/api/v1/classify", List.of(new Part("picture", "c.png", "image/png", png))),
                400, "no image", "'file'");
        expectError(http.multipart("/api/v1/classify", List.of(new Part("note", null, null, "hello".getBytes()))),
                400, "no image");
        expectError(http.raw("/api/v1/classify", "image/png", new byte[0]), 400, "empty");
        expectError(http.raw("/api/v1/classify", "text/plain", "hello".getBytes()), 415, "text/plain");
        expectError(http.raw("/api/v1/classify", "multipart/form-data; boundary=xyz", "garbage".getBytes()), 400, "multipart");
        expectError(http.get("/api/v1/nothing"), 404, "/api/v1/nothing");

        assertThat(http.get("/health").status()).isEqualTo(200);
        assertThat(http.multipart("/api/v1/classify", List.of(Part.image("ok.png", big))).status()).isEqualTo(200);
    }

    /**
     * A refused upload's 413 must reach the client every time, and the next request must not land on the
     * connection the server closes. Before the server read away the refused body and said
     * {@code Connection: close}, 15-36 of 100 such requests got no answer at all (a reset connection).
     */
    @Test
    void everyOversizedUploadGetsItsAnswer() {
        byte[] noise = new byte[(int) MAX_UPLOAD + 4096];
        new Random(2).nextBytes(noise);
        for (int i = 0; i < 25; i++) {
            expectError(http.raw("/api/v1/classify", "image/png", noise), 413, "exceeds the limit");
            expectError(http.chunked("/api/v1/classify", "image/png", noise), 413, "exceeds the limit");
            expectError(http.multipart("/api/v1/classify", List.of(Part.image("huge.png", noise))), 413,
                    "exceeds the limit");
            expectError(http.multipart("/api/v1/classify", List.of(Part.image("huge.png", noise)), true), 413,
                    "exceeds the limit");
        }
        assertThat(http.get("/health").status()).isEqualTo(200);
    }

    private static void expectError(Answer answer, int status, String... mentions) {
        assertThat(answer.status()).as(answer.response().body()).isEqualTo(status);
        assertThat(answer.header("Content-Type")).startsWith("application/json");
        String error = answer.json().get("error").asText();
        assertThat(error).contains(mentions);
        assertThat(http.get("/health").status()).isEqualTo(200);
    }

    @Test
    void modelEndpointDescribesTheModel() {
        JsonNode m = http.get("/api/v1/model").json();
        assertThat(m.get("id").asText()).isEqualTo(classifier.modelId());
        assertThat(m.get("sha256").asText()).startsWith(classifier.modelId()).hasSize(64);
        assertThat(m.get("info").get("classes").toString()).isEqualTo("[\"Parasitized\",\"Uninfected\"]");
        assertThat(m.get("info").get("imageSize").asInt()).isEqualTo(TestModels.SIZE);
        assertThat(m.get("info").get("threshold").asDouble()).isEqualTo(0.5);
        JsonNode health = http.get("/health").json();
        assertThat(health.get("status").asText()).isEqualTo("ok");
    }

    @Test
    void pageIsServedFromTheJar() {
        Answer page = http.get("/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.response().body()).contains("<title>SmearScan").contains("app.js").doesNotContain("http://", "https://");
        assertThat(http.get("/app.js").response().body()).contains("api/v1/classify").doesNotContain("http://", "https://");
        assertThat(http.get("/style.css").status()).isEqualTo(200);
    }

    private static final Pattern SAMPLE = Pattern.compile(
            "[a-zA-Z_:][a-zA-Z0-9_:]*(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\]|\\\\.)*\",?)*\\})? -?([0-9.eE+-]+|\\+Inf|NaN)");

    @Test
    void metricsAreInPrometheusTextFormat() {
        http.multipart("/api/v1/classify", List.of(Part.image("m.png", cellPng(7, false))));
        http.raw("/api/v1/classify", "text/plain", "x".getBytes());
        Answer answer = http.get("/metrics");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Content-Type")).startsWith("text/plain; version=0.0.4");
        String text = answer.response().body();
        List<String> families = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                families.add(line.split(" ")[2]);
            } else if (!line.startsWith("# HELP ")) {
                assertThat(line).as("sample line").matches(SAMPLE);
                String name = line.split("[{ ]")[0];
                assertThat(families).as("family declared before " + line).anyMatch(f -> name.equals(f)
                        || name.equals(f + "_bucket") || name.equals(f + "_sum") || name.equals(f + "_count"));
            }
        }
        assertThat(families).contains("smearscan_http_requests_total", "smearscan_http_request_duration_seconds",
                "smearscan_errors_total", "smearscan_batch_size", "smearscan_queue_images", "smearscan_model_info");
        assertThat(value(text, "smearscan_http_requests_total{route=\"/api/v1/classify\",status=\"200\"}")).isGreaterThanOrEqualTo(1);
        assertThat(value(text, "smearscan_http_requests_total{route=\"/api/v1/classify\",status=\"415\"}")).isGreaterThanOrEqualTo(1);
        assertThat(value(text, "smearscan_errors_total{type=\"unsupported_media_type\"}")).isGreaterThanOrEqualTo(1);
        assertThat(text).contains("smearscan_model_info{model_id=\"" + classifier.modelId() + "\"");
        // histogram buckets are cumulative and end in +Inf = count
        double previous = 0;
        for (double le : ServiceMetrics.BATCH_BUCKETS) {
            double bucket = value(text, "smearscan_batch_size_bucket{le=\"" + String.format(java.util.Locale.ROOT, "%.1f", le) + "\"}");
            assertThat(bucket).isGreaterThanOrEqualTo(previous);
            previous = bucket;
        }
        double count = value(text, "smearscan_batch_size_count");
        assertThat(value(text, "smearscan_batch_size_bucket{le=\"+Inf\"}")).isEqualTo(count).isGreaterThanOrEqualTo(previous);
        assertThat(value(text, "smearscan_http_request_duration_seconds_count{route=\"/api/v1/classify\"}")).isGreaterThanOrEqualTo(2);
    }

    static double value(String text, String series) {
        for (String line : text.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).replace("+Inf", "Infinity"));
            }
        }
        throw new AssertionError("no series " + series + " in\n" + text);
    }

    @Test
    void concurrentRequestsShareForwardPasses() throws Exception {
        int clients = 8;
        try (ScreeningServer batching = ScreeningServer.start(classifier,
                ServeOptions.defaults().withPort(0).withBatching(16, 1500, 64))) {
            TestHttp client = new TestHttp(batching.port());
            CyclicBarrier together = new CyclicBarrier(clients);
            List<CompletableFuture<Answer>> answers = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                byte[] png = cellPng(20 + i, i % 2 == 0);
                answers.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        together.await(30, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    return client.multipart("/api/v1/classify", List.of(Part.image("c.png", png)));
                }, java.util.concurrent.Executors.newCachedThreadPool()));
            }
            for (CompletableFuture<Answer> a : answers) {
                assertThat(a.get(120, TimeUnit.SECONDS).status()).isEqualTo(200);
            }
            ServiceMetrics m = batching.metrics();
            assertThat(m.imagesClassified()).isEqualTo(clients);
            assertThat(m.batches()).as("forward passes for " + clients + " concurrent requests").isLessThan(clients);
            String text = m.render();
            assertThat(value(text, "smearscan_batch_size_bucket{le=\"1.0\"}")).isLessThan(value(text, "smearscan_batch_size_count"));
        }
    }

    @Test
    void fullQueueAnswers503WithRetryAfterAndQueuedWorkStillCompletes() throws Exception {
        CountDownLatch modelBusy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ServeOptions options = ServeOptions.defaults().withPort(0).withLimits(MAX_UPLOAD, 1, MAX_PIXELS).withBatching(1, 0, 2);
        try (ScreeningServer small = ScreeningServer.start(classifier, options, fn -> batch -> {
            modelBusy.countDown();
            if (!release.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("test never released the model");
            }
            return fn.apply(batch);
        })) {
            TestHttp client = new TestHttp(small.port());
            byte[] png = cellPng(30, true);
            var pool = java.util.concurrent.Executors.newCachedThreadPool();
            try {
                CompletableFuture<Answer> first = CompletableFuture.supplyAsync(
                        () -> client.raw("/api/v1/classify", "image/png", png), pool);
                assertThat(modelBusy.await(30, TimeUnit.SECONDS)).isTrue();
                List<CompletableFuture<Answer>> queued = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    queued.add(CompletableFuture.supplyAsync(() -> client.raw("/api/v1/classify", "image/png", png), pool));
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (value(small.metrics().render(), "smearscan_queue_images") < 2 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                Answer refused = client.raw("/api/v1/classify", "image/png", png);
                assertThat(refused.status()).isEqualTo(503);
                assertThat(refused.header("Retry-After")).isEqualTo("1");
                assertThat(refused.json().get("error").asText()).contains("queue is full");
                assertThat(client.get("/health").status()).isEqualTo(200);

                release.countDown();
                assertThat(first.get(60, TimeUnit.SECONDS).status()).isEqualTo(200);
                for (CompletableFuture<Answer> q : queued) {
                    assertThat(q.get(60, TimeUnit.SECONDS).status()).isEqualTo(200);
                }
                assertThat(value(small.metrics().render(), "smearscan_errors_total{type=\"overloaded\"}")).isEqualTo(1);
            } finally {
                release.countDown();
                pool.shutdownNow();
            }
        }
    }
}
