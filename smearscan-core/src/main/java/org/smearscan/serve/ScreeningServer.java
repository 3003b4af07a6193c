package org.smearscan.serve;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smearscan.field.FieldResult;
import org.smearscan.field.FieldScreener;
import org.smearscan.field.NotAFieldException;
import org.smearscan.inference.CellClassifier;
import org.smearscan.inference.EngineKind;
import org.smearscan.inference.HeatmapOverlay;
import org.smearscan.inference.Prediction;
import org.smearscan.modelfile.ModelInfo;

/**
 * The screening web service: a page at {@code /}, {@code POST /api/v1/classify} (cell crops),
 * {@code POST /api/v1/fields} (field photographs: their red cells found, classified and counted),
 * {@code GET /api/v1/model}, {@code GET /health} and {@code GET /metrics}. Images from concurrent requests,
 * and the cells of fields, share forward passes ({@link MicroBatcher}, whose one worker is the only thread that
 * runs the model); bad input gets a 4xx with {@code {"error": "..."}}, an overloaded model a 503 with Retry-After.
 */
public final class ScreeningServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ScreeningServer.class);
    /** A request whose images are not classified in this time is answered 503 (the model is overwhelmed). */
    static final long ANSWER_TIMEOUT_SECONDS = 60;
    private static final Set<String> ROUTES = Set.of("/api/v1/classify", "/api/v1/fields", "/api/v1/model", "/health",
            "/metrics");
    private static final Set<String> PAGE_FILES = Set.of("/", "/index.html", "/app.js", "/style.css");
    private static final String START_ATTRIBUTE = "smearscan.start";
    /** A refused upload's body is read and dropped up to this many times the upload limit, so the 413 arrives. */
    private static final long DISCARD_LIMIT_FACTOR = 4;

    /** One image's work for the model: as the network sees it, and whether to explain the call. */
    record Job(byte[] prepared, boolean heatmap) {}

    /** The model's answer for one job; {@code heatmap} over the input square, or null. */
    record Outcome(Prediction prediction, float[][] heatmap) {}

    /**
     * One image's entry in the classify answer. {@code label} is absent for an image the model cannot judge
     * ({@code status} {@code not_a_cell}); {@code oodScore} is absent for a model without the score.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Result(String name, String label, double probability, double parasitizedProbability,
            Map<String, Double> probabilities, double threshold, String modelId, Double oodScore, String status,
            String heatmap) {}

    private final CellClassifier classifier;
    private final ServeOptions options;
    private final ServiceMetrics metrics;
    private final MicroBatcher<Job, Outcome> batcher;
    /** Bounds how many requests decode at once, so concurrent large uploads cannot exhaust memory. */
    private final Semaphore decodeSlots = new Semaphore(Math.max(2, 2 * Runtime.getRuntime().availableProcessors()));
    /**
     * Bounds how many fields are decoded, segmented and classified at once: each holds megapixels and the
     * segmentation's buffers while its cells wait for the model, which screens one batch at a time anyway.
     */
    private final Semaphore fieldSlots = new Semaphore(Math.max(2, Runtime.getRuntime().availableProcessors()));
    /** Made on the first field request: segmenting loads OpenCV's natives, which cell requests never need. */
    private volatile FieldScreener screener;
    private final ObjectMapper json = JsonMapper.builder().build();
    private final Javalin app;

    private ScreeningServer(CellClassifier classifier, ServeOptions options,
            UnaryOperator<MicroBatcher.BatchFunction<Job, Outcome>> intercept) {
        this.classifier = classifier;
        this.options = options;
        // the metrics report the batcher's queue, and the batcher reports its batches to the metrics
        AtomicReference<MicroBatcher<Job, Outcome>> queue = new AtomicReference<>();
        this.metrics = new ServiceMetrics(classifier.modelId(), classifier.info().spec().architecture().cliName(),
                classifier.info().imageSize(), () -> queue.get() == null ? 0 : queue.get().queued());
        this.batcher = new MicroBatcher<>("smearscan-batcher", intercept.apply(this::runBatch), options.maxBatch(),
                options.maxWaitMs(), options.queue(), metrics::batch);
        queue.set(batcher);
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.host = options.host();
            config.jetty.port = options.port();
            config.http.maxRequestSize = options.maxUploadBytes();
            config.jetty.multipartConfig.maxFileSize(options.maxUploadBytes(), SizeUnit.BYTES);
            config.jetty.multipartConfig.maxTotalRequestSize(options.maxUploadBytes() + (64 << 10), SizeUnit.BYTES);
            config.jetty.multipartConfig.maxInMemoryFileSize(1 << 20, SizeUnit.BYTES);
            config.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = "/web";
                files.location = Location.CLASSPATH;
            });
            config.routes.before(ctx -> ctx.attribute(START_ATTRIBUTE, System.nanoTime()));
            config.routes.after(this::record);
            config.routes.post("/api/v1/classify", this::classify);
            config.routes.post("/api/v1/fields", this::fields);
            config.routes.get("/api/v1/model", this::model);
            config.routes.get("/health", ctx -> answer(ctx, 200, Map.of("status", "ok", "modelId", classifier.modelId())));
            config.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(metrics.render()));
            config.routes.exception(ApiException.class, (e, ctx) -> {
                metrics.error(e.type());
                if (e.status() == 503) {
                    ctx.header("Retry-After", "1");
                }
                if (e.status() == 413) {
                    // The connection ends after this answer (Jetty closes one whose request body was refused);
                    // saying so keeps the client from sending its next request on it.
                    ctx.header("Connection", "close");
                    ImageUploads.discardUnreadBody(ctx, DISCARD_LIMIT_FACTOR * options.maxUploadBytes());
                }
                answer(ctx, e.status(), Map.of("error", e.getMessage()));
            });
            config.routes.exception(HttpResponseException.class, (e, ctx) -> {
                metrics.error("http_" + e.getStatus());
                answer(ctx, e.getStatus(), Map.of("error", e.getMessage()));
            });
            config.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("request {} {} failed", ctx.method(), ctx.path(), e);
                metrics.error("internal");
                answer(ctx, 500, Map.of("error", "internal error: " + e.getClass().getSimpleName()));
            });
            config.routes.error(404, ctx -> {
                if (ctx.result() == null) {
                    answer(ctx, 404, Map.of("error", "no such endpoint: " + ctx.method() + " " + ctx.path()));
                }
            });
        });
    }

    /** Starts serving {@code classifier} (which the server does not close) with {@code options}. */
    public static ScreeningServer start(CellClassifier classifier, ServeOptions options) {
        return start(classifier, options, UnaryOperator.identity());
    }

    /** As {@link #start(CellClassifier, ServeOptions)}, with the batch function wrapped (tests hold the model with it). */
    static ScreeningServer start(CellClassifier classifier, ServeOptions options,
            UnaryOperator<MicroBatcher.BatchFunction<Job, Outcome>> intercept) {
        ScreeningServer server = new ScreeningServer(classifier, options, intercept);
        try {
            server.app.start();
        } catch (RuntimeException e) {
            server.batcher.close();
            throw new IllegalStateException("cannot listen on " + options.host() + ":" + options.port() + ": "
                    + rootMessage(e), e);
        }
        return server;
    }

    public int port() {
        return app.port();
    }

    /** The address a browser on this machine can open. */
    public String url() {
        String host = options.host().equals("0.0.0.0") || options.host().equals("::") ? "localhost" : options.host();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port() + "/";
    }

    public ServiceMetrics metrics() {
        return metrics;
    }

    private void classify(Context ctx) throws IOException {
        boolean heatmap = isTrue(ctx.queryParam("heatmap"));
        if (heatmap && classifier.engine() != EngineKind.PYTORCH) {
            throw new ApiException(400, "heatmaps_unavailable", "heatmaps are Grad-CAM maps, which need gradients;"
                    + " this service runs the model on " + classifier.engine().cliName()
                    + ", which computes none (start it with --engine pytorch for heatmaps)");
        }
        List<ImageUploads.Upload> uploads = ImageUploads.read(ctx, options);
        List<Job> jobs = new ArrayList<>(uploads.size());
        List<BufferedImage> displays = new ArrayList<>(uploads.size());
        acquireDecodeSlot();
        try {
            for (ImageUploads.Upload upload : uploads) {
                BufferedImage image = ImageUploads.decode(upload, options).image();
                jobs.add(new Job(classifier.prepare(image), heatmap));
                displays.add(heatmap ? ImageUploads.forDisplay(image) : null);
            }
        } finally {
            decodeSlots.release();
        }
        List<CompletableFuture<Outcome>> futures;
        try {
            futures = batcher.submitAll(jobs);
        } catch (OverloadedException e) {
            throw new ApiException(503, "overloaded", e.getMessage() + "; try again shortly");
        }
        List<Result> results = new ArrayList<>(jobs.size());
        for (int i = 0; i < futures.size(); i++) {
            Outcome outcome = await(futures.get(i));
            Prediction p = outcome.prediction();
            String heatmapUri = outcome.heatmap() == null ? null : pngDataUri(
                    HeatmapOverlay.overlay(displays.get(i), outcome.heatmap(), classifier.info().resize()));
            results.add(new Result(uploads.get(i).name(), p.judgedLabel(), p.probability(),
                    p.parasitizedProbability(), p.probabilities(), p.threshold(), p.modelId(),
                    p.oodScoreOrNull(), p.status().wireName(), heatmapUri));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("modelId", classifier.modelId());
        body.put("results", results);
        answer(ctx, 200, body);
    }

    /**
     * Screens field photographs: each one's red cells are segmented on this request's thread and their crops
     * classified through the batcher, like cell uploads. Every upload's header is checked before any field is
     * screened; a field answers its count, its parasitemia in percent and every cell found ({@link FieldJson}).
     */
    private void fields(Context ctx) {
        List<ImageUploads.Upload> uploads = ImageUploads.read(ctx, options);
        for (ImageUploads.Upload upload : uploads) {
            ImageUploads.checkHeader(upload, options, ImageUploads.FIELD_SIZE);
        }
        FieldScreener fieldScreener = screener();
        List<FieldJson.Field> fields = new ArrayList<>(uploads.size());
        for (ImageUploads.Upload upload : uploads) {
            acquire(fieldSlots, "too many fields are being screened; try again shortly");
            FieldResult result;
            try {
                BufferedImage image = ImageUploads.decode(upload, options, ImageUploads.FIELD_SIZE).image();
                result = fieldScreener.screen(upload.name(), image, this::classifyCrops);
            } catch (NotAFieldException e) {
                throw new ApiException(422, "not_a_field", e.getMessage() + " (in this service: POST /api/v1/classify)");
            } finally {
                fieldSlots.release();
            }
            metrics.field(result.cells().size());
            fields.add(FieldJson.of(result, classifier.modelId()));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("modelId", classifier.modelId());
        body.put("fields", fields);
        answer(ctx, 200, body);
    }

    private FieldScreener screener() {
        FieldScreener s = screener;
        if (s == null) {
            synchronized (this) {
                if (screener == null) {
                    try {
                        screener = FieldScreener.of(classifier);
                    } catch (IllegalStateException e) { // OpenCV's natives could not be loaded on this platform
                        LOG.error("field screening is unavailable", e);
                        throw new ApiException(503, "fields_unavailable", "field screening is unavailable on this"
                                + " server: " + e.getMessage());
                    }
                }
                s = screener;
            }
        }
        return s;
    }

    /**
     * A field's cell crops, classified through the batcher (whose worker is the one thread running the model),
     * at most the queue's capacity at a time; answered in order.
     */
    private List<Prediction> classifyCrops(List<BufferedImage> crops) {
        List<Job> jobs = new ArrayList<>(crops.size());
        for (BufferedImage crop : crops) {
            jobs.add(new Job(classifier.prepare(crop), false));
        }
        List<Prediction> predictions = new ArrayList<>(jobs.size());
        for (int start = 0; start < jobs.size(); start += batcher.capacity()) {
            List<CompletableFuture<Outcome>> futures;
            try {
                futures = batcher.submitAll(jobs.subList(start, Math.min(jobs.size(), start + batcher.capacity())));
            } catch (OverloadedException e) {
                throw new ApiException(503, "overloaded", e.getMessage() + "; try again shortly");
            }
            for (CompletableFuture<Outcome> future : futures) {
                predictions.add(await(future).prediction());
            }
        }
        return predictions;
    }

    private void model(Context ctx) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", classifier.modelId());
        body.put("sha256", classifier.sha256());
        body.put("engine", classifier.engine().cliName());
        ModelInfo info = classifier.info();
        // the score's fitted distribution is hundreds of kilobytes of numbers: its summary is what a client needs
        body.put("info", info.withOod(null));
        if (info.ood() != null) {
            body.put("ood", Map.of("method", "Mahalanobis distances of the network's features and of pixel statistics,"
                    + " each in units of its threshold; above 1: not a cell", "fittedOn", info.ood().fittedOn()));
        }
        answer(ctx, 200, body);
    }

    /** Runs on the batcher's thread: one forward pass for all, one Grad-CAM pass for those that asked. */
    private List<Outcome> runBatch(List<Job> jobs) {
        List<Prediction> predictions = classifier.predictPrepared(jobs.stream().map(Job::prepared).toList(), false,
                options.maxBatch());
        List<Integer> explained = new ArrayList<>();
        for (int i = 0; i < jobs.size(); i++) {
            if (jobs.get(i).heatmap()) {
                explained.add(i);
            }
        }
        float[][][] maps = explained.isEmpty() ? new float[0][][] : classifier.heatmaps(
                explained.stream().map(i -> jobs.get(i).prepared()).toList(),
                explained.stream().mapToInt(i -> predictions.get(i).labelIndex()).toArray());
        List<Outcome> outcomes = new ArrayList<>(jobs.size());
        for (int i = 0, k = 0; i < jobs.size(); i++) {
            boolean withMap = k < explained.size() && explained.get(k) == i;
            outcomes.add(new Outcome(predictions.get(i), withMap ? maps[k++] : null));
        }
        return outcomes;
    }

    private Outcome await(CompletableFuture<Outcome> future) {
        try {
            return future.get(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            future.cancel(false);
            throw new ApiException(503, "timeout", "the model did not answer within " + ANSWER_TIMEOUT_SECONDS
                    + " s; try again shortly");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "interrupted", "the service is shutting down");
        } catch (ExecutionException e) {
            throw new IllegalStateException("classification failed", e.getCause());
        }
    }

    private void acquireDecodeSlot() {
        acquire(decodeSlots, "too many uploads are being decoded; try again shortly");
    }

    private static void acquire(Semaphore slots, String busy) {
        try {
            if (!slots.tryAcquire(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new ApiException(503, "overloaded", busy);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "interrupted", "the service is shutting down");
        }
    }

    private void record(Context ctx) {
        Long start = ctx.attribute(START_ATTRIBUTE);
        if (start == null) {
            return;
        }
        String path = ctx.path();
        String route = ROUTES.contains(path) ? path : PAGE_FILES.contains(path) ? "page" : "other";
        metrics.request(route, ctx.statusCode(), System.nanoTime() - start);
    }

    private void answer(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType("application/json").result(json.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String pngDataUri(BufferedImage image) {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(png.toByteArray());
    }

    private static boolean isTrue(String value) {
        return value != null && (value.equalsIgnoreCase("true") || value.equals("1") || value.equalsIgnoreCase("yes"));
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }

    /** Stops listening, then fails what is still queued; the classifier stays open (its owner closes it). */
    @Override
    public void close() {
        app.stop();
        batcher.close();
    }
}
