package org.smearscan.inference;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.smearscan.data.ImageDecoding;
import org.smearscan.data.UnreadableImageException;

/**
 * Classifies many image files: a pool of decode threads reads, decodes and resizes files a few batches
 * ahead while the calling thread runs the network on the batch before, so decoding and inference overlap.
 * Results reach the sink in input order; an unreadable file becomes a failed {@link FileResult} and the
 * rest go on.
 */
public final class ScreeningPipeline {
    /** Batches decoded ahead of the network: enough to hide decoding jitter, few enough to bound memory. */
    private static final int BATCHES_AHEAD = 3;

    /**
     * @param batchSize     images per forward pass
     * @param tta           average the 8 dihedral views
     * @param decodeThreads threads reading and decoding files
     * @param maxPixels     larger images are refused from their header, before decoding (memory guard)
     * @param maxFileBytes  larger files are refused before reading
     * @param heatmaps      writes Grad-CAM overlays when present
     */
    public record Options(int batchSize, boolean tta, int decodeThreads, long maxPixels, long maxFileBytes,
            HeatmapWriter heatmaps) {
        public Options {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
            }
            if (decodeThreads < 1) {
                throw new IllegalArgumentException("decode threads must be at least 1, got " + decodeThreads);
            }
        }

        public static Options defaults() {
            return new Options(CellClassifier.DEFAULT_BATCH, false,
                    Math.max(1, Runtime.getRuntime().availableProcessors()), 40_000_000L, 256L << 20, null);
        }

        public Options withBatchSize(int n) {
            return new Options(n, tta, decodeThreads, maxPixels, maxFileBytes, heatmaps);
        }

        public Options withTta(boolean on) {
            return new Options(batchSize, on, decodeThreads, maxPixels, maxFileBytes, heatmaps);
        }

        public Options withDecodeThreads(int n) {
            return new Options(batchSize, tta, n, maxPixels, maxFileBytes, heatmaps);
        }

        public Options withHeatmaps(HeatmapWriter writer) {
            return new Options(batchSize, tta, decodeThreads, maxPixels, maxFileBytes, writer);
        }
    }

    /** A decoded and resized file, or why it could not be; the original is kept only for heatmaps. */
    private record Decoded(Path file, byte[] prepared, BufferedImage original, UnreadableImageException error) {}

    private ScreeningPipeline() {}

    public static void run(CellClassifier classifier, List<Path> files, Options options, Consumer<FileResult> sink) {
        forEachBatch(classifier, files, options, batch -> classify(classifier, batch, options, sink));
    }

    /**
     * Raw logits of every file ({@link CellClassifier#logits}), decoded ahead as {@link #run} does; the first
     * unreadable file stops it.
     */
    static CellClassifier.Scores scores(CellClassifier classifier, List<Path> files, Options options,
            IntConsumer progress) throws UnreadableImageException {
        float[][][] out = new float[files.size()][][];
        double[] ood = new double[files.size()];
        int[] done = {0};
        try {
            forEachBatch(classifier, files, options, batch -> {
                for (Decoded d : batch) {
                    if (d.error() != null) {
                        throw new UnreadableFile(d.error());
                    }
                }
                CellClassifier.Scores scores = classifier.scores(batch.stream().map(Decoded::prepared).toList(),
                        options.tta(), options.batchSize());
                System.arraycopy(scores.logits(), 0, out, done[0], batch.size());
                System.arraycopy(scores.oodScores(), 0, ood, done[0], batch.size());
                done[0] += batch.size();
                progress.accept(batch.size());
            });
        } catch (UnreadableFile e) {
            throw e.unreadable;
        }
        return new CellClassifier.Scores(out, ood);
    }

    /** Carries an unreadable file out of the batch handler, which cannot throw checked exceptions. */
    private static final class UnreadableFile extends RuntimeException {
        final UnreadableImageException unreadable;

        UnreadableFile(UnreadableImageException cause) {
            super(cause.getMessage(), cause, false, false);
            this.unreadable = cause;
        }
    }

    /** Hands batches of decoded files to {@code handler} in input order, decoding the next ones meanwhile. */
    private static void forEachBatch(CellClassifier classifier, List<Path> files, Options options,
            Consumer<List<Decoded>> handler) {
        AtomicInteger threadCount = new AtomicInteger();
        ExecutorService decoders = Executors.newFixedThreadPool(options.decodeThreads(), r -> {
            Thread t = new Thread(r, "smearscan-decode-" + threadCount.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            Deque<List<Future<Decoded>>> ahead = new ArrayDeque<>();
            int next = 0;
            while (next < files.size() || !ahead.isEmpty()) {
                while (next < files.size() && ahead.size() < BATCHES_AHEAD) {
                    List<Future<Decoded>> batch = new ArrayList<>();
                    for (int end = Math.min(files.size(), next + options.batchSize()); next < end; next++) {
                        Path file = files.get(next);
                        batch.add(decoders.submit(() -> decode(classifier, file, options)));
                    }
                    ahead.add(batch);
                }
                handler.accept(collect(ahead.poll()));
            }
        } finally {
            decoders.shutdownNow();
        }
    }

    private static List<Decoded> collect(List<Future<Decoded>> futures) {
        List<Decoded> decoded = new ArrayList<>(futures.size());
        for (Future<Decoded> f : futures) {
            try {
                decoded.add(f.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while decoding images", e);
            } catch (ExecutionException e) {
                // decode() turns every failure into a Decoded with an error; this is a bug, not bad input
                throw new IllegalStateException("decoding failed unexpectedly", e.getCause());
            }
        }
        return decoded;
    }

    private static void classify(CellClassifier classifier, List<Decoded> batch, Options options,
            Consumer<FileResult> sink) {
        List<Decoded> readable = batch.stream().filter(d -> d.error() == null).toList();
        List<Prediction> predictions = readable.isEmpty() ? List.of()
                : classifier.predictPrepared(readable.stream().map(Decoded::prepared).toList(), options.tta(),
                        options.batchSize());
        List<Path> heatmaps = null;
        if (options.heatmaps() != null && !readable.isEmpty()) {
            try {
                heatmaps = options.heatmaps().write(classifier, readable.stream().map(Decoded::file).toList(),
                        readable.stream().map(Decoded::original).toList(),
                        readable.stream().map(Decoded::prepared).toList(), predictions);
            } catch (IOException e) {
                // an output that cannot be written is the machine's problem, not one image's: stop the run
                throw new UncheckedIOException("cannot write heatmaps: " + e.getMessage(), e);
            }
        }
        int k = 0;
        for (Decoded d : batch) {
            if (d.error() != null) {
                sink.accept(FileResult.failed(d.file(), d.error().getMessage()));
            } else {
                sink.accept(FileResult.classified(d.file(), predictions.get(k), heatmaps == null ? null : heatmaps.get(k)));
                k++;
            }
        }
    }

    private static Decoded decode(CellClassifier classifier, Path file, Options options) {
        try {
            long size = Files.size(file);
            if (size > options.maxFileBytes()) {
                return failed(file, "is too large to be a cell image (" + size + " bytes)");
            }
            BufferedImage image = ImageDecoding.decode(Files.readAllBytes(file), file.toString(), options.maxPixels());
            return new Decoded(file, classifier.prepare(image), options.heatmaps() != null ? image : null, null);
        } catch (NoSuchFileException e) {
            return failed(file, Files.isSymbolicLink(file) ? "is a broken symbolic link (its target does not exist)"
                    : "does not exist");
        } catch (IOException e) {
            return failed(file, "cannot be read: " + e.getMessage());
        } catch (UnreadableImageException e) {
            return new Decoded(file, null, null, e);
        } catch (RuntimeException | OutOfMemoryError e) {
            return failed(file, "cannot be decoded: " + e);
        }
    }

    private static Decoded failed(Path file, String problem) {
        return new Decoded(file, null, null, new UnreadableImageException(file.toString(), problem));
    }
}
