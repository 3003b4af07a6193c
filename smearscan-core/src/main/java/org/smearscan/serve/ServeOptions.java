package org.smearscan.serve;

/**
 * Settings of the screening service.
 *
 * @param host           address to listen on (127.0.0.1 keeps it on this machine; 0.0.0.0 opens it to the network)
 * @param port           TCP port, 0 for any free one
 * @param maxBatch       most images in one forward pass
 * @param maxWaitMs      how long the first image of a batch waits for company
 * @param queue          images allowed to wait for the model; beyond that requests get 503
 * @param maxUploadBytes largest request body
 * @param maxFiles       most images in one request
 * @param maxPixels      largest image (width x height), checked from the header before decoding
 */
public record ServeOptions(String host, int port, int maxBatch, int maxWaitMs, int queue, long maxUploadBytes,
        int maxFiles, long maxPixels) {
    public static final int DEFAULT_MAX_BATCH = 32;
    /**
     * No wait: an image that finds the model idle runs at once, and images that arrive while a batch runs
     * share the next one anyway. Measured 2026-11-30 (BENCHMARKS.md, serve section): with 16 clients the
     * throughput at 0 ms was within 1-3% of that at 5 ms, and a lone request's p50 fell from 7.8 to 1.8 ms
     * on ONNX Runtime (11.3 to 6.4 ms on PyTorch).
     */
    public static final int DEFAULT_MAX_WAIT_MS = 0;

    public ServeOptions {
        require(port >= 0 && port <= 65535, "port must be 0..65535, got " + port);
        require(maxBatch >= 1, "max batch must be at least 1, got " + maxBatch);
        require(maxWaitMs >= 0, "max wait must not be negative, got " + maxWaitMs);
        require(maxFiles >= 1, "max files must be at least 1, got " + maxFiles);
        require(queue >= maxFiles, "the queue (" + queue + ") must hold at least one full request (max files "
                + maxFiles + ")");
        require(maxUploadBytes >= 1024, "max upload must be at least 1 KiB, got " + maxUploadBytes);
        require(maxPixels >= 64, "max pixels must be at least 64, got " + maxPixels);
    }

    public static ServeOptions defaults() {
        return new ServeOptions("127.0.0.1", 8080, DEFAULT_MAX_BATCH, DEFAULT_MAX_WAIT_MS, 256, 20L << 20, 64,
                4_000_000L);
    }

    public ServeOptions withPort(int newPort) {
        return new ServeOptions(host, newPort, maxBatch, maxWaitMs, queue, maxUploadBytes, maxFiles, maxPixels);
    }

    public ServeOptions withBatching(int newMaxBatch, int newMaxWaitMs, int newQueue) {
        return new ServeOptions(host, port, newMaxBatch, newMaxWaitMs, newQueue, maxUploadBytes, maxFiles, maxPixels);
    }

    public ServeOptions withLimits(long newMaxUploadBytes, int newMaxFiles, long newMaxPixels) {
        return new ServeOptions(host, port, maxBatch, maxWaitMs, queue, newMaxUploadBytes, newMaxFiles, newMaxPixels);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
