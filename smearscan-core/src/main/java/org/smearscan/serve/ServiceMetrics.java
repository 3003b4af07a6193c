package org.smearscan.serve;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * The service's counters, rendered in the Prometheus text exposition format (version 0.0.4).
 *
 * <p>Written here rather than with a client library: the service exports a few fixed metric families, the
 * text format is small and stable, and a library (and its transitive jars in the fat jar) would add more
 * than it saves. Labels only ever take values from fixed sets (routes, status codes, error types), so a
 * client cannot grow the series without bound.
 */
public final class ServiceMetrics {
    static final double[] LATENCY_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    static final double[] BATCH_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256};

    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, Histogram> latency = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final Histogram batchSizes = new Histogram(BATCH_BUCKETS);
    private final Histogram batchSeconds = new Histogram(LATENCY_BUCKETS);
    private final LongAdder images = new LongAdder();
    private final LongAdder failedBatches = new LongAdder();
    private final LongAdder fields = new LongAdder();
    private final LongAdder fieldCells = new LongAdder();
    private final IntSupplier queueDepth;
    private final String modelLabels;

    public ServiceMetrics(String modelId, String architecture, int imageSize, IntSupplier queueDepth) {
        this.queueDepth = queueDepth;
        this.modelLabels = "model_id=\"" + escape(modelId) + "\",architecture=\"" + escape(architecture)
                + "\",image_size=\"" + imageSize + "\"";
    }

    public void request(String route, int status, long nanos) {
        requests.computeIfAbsent(labels("route", route, "status", Integer.toString(status)), k -> new LongAdder())
                .increment();
        latency.computeIfAbsent(labels("route", route), k -> new Histogram(LATENCY_BUCKETS)).observe(nanos / 1e9);
    }

    public void error(String type) {
        errors.computeIfAbsent(labels("type", type), k -> new LongAdder()).increment();
    }

    public void batch(int size, long nanos, boolean failed) {
        batchSizes.observe(size);
        batchSeconds.observe(nanos / 1e9);
        if (failed) {
            failedBatches.increment();
        } else {
            images.add(size);
        }
    }

    /** A field screened, with the cells found in it (counted or not). */
    public void field(int cellsFound) {
        fields.increment();
        fieldCells.add(cellsFound);
    }

    /** Fields screened so far. */
    public long fieldsScreened() {
        return fields.sum();
    }

    /** Forward passes run so far (the batch-size histogram's count). */
    public long batches() {
        return batchSizes.count.sum();
    }

    /** Images classified so far. */
    public long imagesClassified() {
        return images.sum();
    }

    public String render() {
        StringBuilder out = new StringBuilder(4096);
        family(out, "smearscan_http_requests_total", "counter", "HTTP requests by route and status code.");
        new TreeMap<>(requests).forEach((labels, n) -> sample(out, "smearscan_http_requests_total", labels, n.sum()));
        family(out, "smearscan_http_request_duration_seconds", "histogram", "Time to answer an HTTP request.");
        new TreeMap<>(latency).forEach((labels, h) -> h.render(out, "smearscan_http_request_duration_seconds", labels));
        family(out, "smearscan_errors_total", "counter", "Requests refused or failed, by error type.");
        new TreeMap<>(errors).forEach((labels, n) -> sample(out, "smearscan_errors_total", labels, n.sum()));
        family(out, "smearscan_batch_size", "histogram", "Images per forward pass (micro-batching).");
        batchSizes.render(out, "smearscan_batch_size", "");
        family(out, "smearscan_batch_duration_seconds", "histogram", "Time of one forward pass.");
        batchSeconds.render(out, "smearscan_batch_duration_seconds", "");
        family(out, "smearscan_images_classified_total", "counter", "Images classified (cell uploads and the cells of fields).");
        sample(out, "smearscan_images_classified_total", "", images.sum());
        family(out, "smearscan_fields_screened_total", "counter", "Field photographs screened.");
        sample(out, "smearscan_fields_screened_total", "", fields.sum());
        family(out, "smearscan_field_cells_total", "counter", "Red cells found in screened fields (counted or not).");
        sample(out, "smearscan_field_cells_total", "", fieldCells.sum());
        family(out, "smearscan_failed_batches_total", "counter", "Forward passes that failed.");
        sample(out, "smearscan_failed_batches_total", "", failedBatches.sum());
        family(out, "smearscan_queue_images", "gauge", "Images waiting for the model.");
        sample(out, "smearscan_queue_images", "", queueDepth.getAsInt());
        family(out, "smearscan_model_info", "gauge", "The model being served.");
        sample(out, "smearscan_model_info", modelLabels, 1);
        return out.toString();
    }

    private static void family(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder out, String name, String labels, double value) {
        out.append(name);
        if (!labels.isEmpty()) {
            out.append('{').append(labels).append('}');
        }
        out.append(' ').append(format(value)).append('\n');
    }

    static String format(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.isInfinite(value) ? (value > 0 ? "+Inf" : "-Inf") : Double.toString(value);
    }

    private static String labels(String... namesAndValues) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(namesAndValues[i]).append("=\"").append(escape(namesAndValues[i + 1])).append('"');
        }
        return b.toString();
    }

    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    /** Cumulative buckets as Prometheus expects: each bucket counts observations at or below its bound. */
    private static final class Histogram {
        private final double[] bounds;
        private final LongAdder[] buckets;
        private final LongAdder count = new LongAdder();
        private final DoubleAdder sum = new DoubleAdder();

        Histogram(double[] bounds) {
            this.bounds = bounds;
            this.buckets = new LongAdder[bounds.length];
            for (int i = 0; i < bounds.length; i++) {
                buckets[i] = new LongAdder();
            }
        }

        void observe(double value) {
            for (int i = 0; i < bounds.length; i++) {
                if (value <= bounds[i]) {
                    buckets[i].increment();
                    break;
                }
            }
            sum.add(value);
            count.increment();
        }

        void render(StringBuilder out, String name, String labels) {
            String prefix = labels.isEmpty() ? "" : labels + ",";
            // read the total first: observations landing meanwhile may make a bucket exceed it, never +Inf
            long total = count.sum();
            long cumulative = 0;
            for (int i = 0; i < bounds.length; i++) {
                cumulative += buckets[i].sum();
                sample(out, name + "_bucket", prefix + "le=\"" + formatBound(bounds[i]) + "\"", Math.min(cumulative, total));
            }
            sample(out, name + "_bucket", prefix + "le=\"+Inf\"", total);
            sample(out, name + "_sum", labels, sum.sum());
            sample(out, name + "_count", labels, total);
        }

        private static String formatBound(double bound) {
            return bound == Math.rint(bound) ? String.format(Locale.ROOT, "%.1f", bound) : Double.toString(bound);
        }
    }
}
