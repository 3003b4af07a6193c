package org.smearscan.bench.data;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.smearscan.bench.BenchCommand;
import org.smearscan.data.Batches;
import org.smearscan.data.CellDataset;
import org.smearscan.data.CellImage;
import org.smearscan.data.HostBatch;
import org.smearscan.data.ImageCache;
import org.smearscan.data.Normalization;
import org.smearscan.data.ResizeMethod;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Times building the image cache and assembling training batches from it. Run by bench/data-cache.sh:
 * {@code DataCacheBenchmark DIR --cache-dir D [--sizes 64,128] [--limit N] [--epochs E] [--batch B]}.
 * {@code --limit} keeps the first N images of each class, for a quick check that the benchmark runs.
 */
@Command(name = "DataCacheBenchmark", sortOptions = false,
        description = "Times building the image cache of DIR and assembling training batches from it.")
public final class DataCacheBenchmark extends BenchCommand {
    @Parameters(paramLabel = "DIR", description = "Image folder (one subfolder per class).")
    private Path dir;

    @Option(names = "--cache-dir", required = true, paramLabel = "EMPTY_DIR",
            description = "Cache folder, empty, so the cache is built afresh.")
    private Path cacheDir;

    @Option(names = "--sizes", split = ",", defaultValue = "64,128", paramLabel = "PX",
            description = "Image sizes to cache (default: ${DEFAULT-VALUE}).")
    private List<Integer> sizes;

    @Option(names = "--limit", defaultValue = "0", paramLabel = "N",
            description = "Keep the first N images of each class; 0: all (default).")
    private int limit;

    @Option(names = "--epochs", defaultValue = "2", paramLabel = "E",
            description = "Timed epochs of batch assembly (default: ${DEFAULT-VALUE}).")
    private int epochs;

    @Option(names = "--batch", defaultValue = "64", paramLabel = "B", description = "Batch size (default: ${DEFAULT-VALUE}).")
    private int batchSize;

    public static void main(String[] args) {
        BenchCommand.main(new DataCacheBenchmark(), args);
    }

    @Override
    protected void run(PrintWriter out) throws Exception {
        CellDataset dataset = CellDataset.scan(dir);
        List<CellImage> images = limit > 0 ? firstPerClass(dataset, limit) : dataset.images();
        String fingerprint = limit > 0 ? dataset.fingerprint() + "/first-" + limit : dataset.fingerprint();
        out.printf(Locale.ROOT, "data: %s, %d images%s, %d cores%n", dataset.root(), images.size(),
                limit > 0 ? " (first " + limit + " per class)" : "", Runtime.getRuntime().availableProcessors());
        for (int size : sizes) {
            long start = System.nanoTime();
            ImageCache cache = ImageCache.builder(images, fingerprint).size(size).method(ResizeMethod.SQUISH)
                    .cacheDir(cacheDir).threads(2).open();
            double buildSeconds = (System.nanoTime() - start) / 1e9;
            out.printf(Locale.ROOT, "cache %d px: %s %d images in %.1f s (%.0f img/s, 2 threads), %d MB, %d unreadable%n",
                    size, cache.origin().name().toLowerCase(Locale.ROOT), cache.count(), buildSeconds,
                    cache.count() / buildSeconds, Files.size(cache.file()) >> 20, cache.unreadable().size());
            start = System.nanoTime();
            ImageCache reopened = ImageCache.builder(images, fingerprint).size(size).method(ResizeMethod.SQUISH)
                    .cacheDir(cacheDir).open();
            out.printf(Locale.ROOT, "cache %d px: reopened and verified in %.2f s (%s)%n", size,
                    (System.nanoTime() - start) / 1e9, reopened.origin().name().toLowerCase(Locale.ROOT));
            int[] slots = cache.readableSlots();
            Normalization norm = cache.statistics(slots);
            for (int prefetch : new int[] {0, 2}) {
                Batches batches = Batches.builder(cache, slots).batchSize(batchSize).normalization(norm)
                        .dihedral(true).prefetch(prefetch).seed(1).build();
                consume(batches, 0); // warm-up epoch: JIT and page cache
                long images0 = 0;
                start = System.nanoTime();
                for (int e = 1; e <= epochs; e++) {
                    images0 += consume(batches, e);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                out.printf(Locale.ROOT, "batches %d px: %.0f img/s (batch %d, dihedral on, %s, %d epochs of %d images)%n",
                        size, images0 / seconds, batchSize,
                        prefetch == 0 ? "assembled on the one consumer thread" : "one consumer, background prefetch",
                        epochs, batches.batchesPerEpoch() * batchSize);
            }
        }
    }

    /** Takes every batch of an epoch and touches its pixels, as a trainer copying them would. */
    private static long consume(Batches batches, int epoch) {
        long n = 0;
        double checksum = 0;
        try (Batches.Epoch it = batches.epoch(epoch)) {
            while (it.hasNext()) {
                HostBatch b = it.next();
                checksum += b.pixels()[b.pixels().length - 1];
                n += b.count();
            }
        }
        if (Double.isNaN(checksum)) {
            throw new IllegalStateException("NaN in batches");
        }
        return n;
    }

    private static List<CellImage> firstPerClass(CellDataset dataset, int limit) {
        int[] taken = new int[dataset.classes().size()];
        List<CellImage> out = new ArrayList<>();
        for (CellImage image : dataset.images()) {
            if (taken[image.label()]++ < limit) {
                out.add(image);
            }
        }
        return out;
    }
}
