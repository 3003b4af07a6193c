package org.smearscan.bench.fields;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.smearscan.bench.BenchCommand;
import org.smearscan.data.ImageDecoding;
import org.smearscan.field.FieldScreener;
import org.smearscan.inference.CellClassifier;
import org.smearscan.segment.CellSegmenter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Seconds per field of what {@code screen} does for each field, end to end: read the file, segment, crop,
 * classify. Each field is timed {@code repeats} times after one warm-up pass over all fields; the report gives
 * the median, 90th percentile and largest per-field time, and the same for reading alone and segmenting alone,
 * measured in the same run, so that the share of each step shows as a ratio of the whole.
 */
@Command(name = "FieldScreenBenchmark", sortOptions = false,
        description = "Seconds per field of read + segment + crop + classify, over a folder of fields.")
public final class FieldScreenBenchmark extends BenchCommand {
    @Parameters(index = "0", paramLabel = "MODEL", description = "A model file (a field model or a cell model).")
    Path model;

    @Parameters(index = "1", paramLabel = "FIELDS_DIR", description = "Folder of field photographs.")
    Path fieldsDir;

    @Option(names = "--repeats", paramLabel = "N", defaultValue = "3", description = "Timed passes (default: ${DEFAULT-VALUE}).")
    int repeats;

    public static void main(String[] args) {
        main(new FieldScreenBenchmark(), args);
    }

    @Override
    protected void run(PrintWriter out) throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(fieldsDir)) {
            files = s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(jpe?g|png)")).sorted().toList();
        }
        if (files.isEmpty()) {
            throw usage(fieldsDir + " holds no field photographs");
        }
        try (CellClassifier classifier = CellClassifier.load(model)) {
            FieldScreener screener = FieldScreener.of(classifier);
            CellSegmenter segmenter = new CellSegmenter(screener.parameters());
            for (Path f : files) { // warm-up: class loading, JIT, the engine's first batches
                screener.screen(f.getFileName().toString(), ImageDecoding.read(f));
            }
            List<Double> total = new ArrayList<>();
            List<Double> read = new ArrayList<>();
            List<Double> segment = new ArrayList<>();
            long cells = 0;
            for (int r = 0; r < repeats; r++) {
                for (Path f : files) {
                    long t0 = System.nanoTime();
                    BufferedImage image = ImageDecoding.read(f);
                    long t1 = System.nanoTime();
                    cells += screener.screen(f.getFileName().toString(), image).cells().size();
                    long t2 = System.nanoTime();
                    segmenter.segment(image);
                    long t3 = System.nanoTime();
                    total.add((t2 - t0) / 1e9);
                    read.add((t1 - t0) / 1e9);
                    segment.add((t3 - t2) / 1e9);
                }
            }
            double medianTotal = quantile(total, 0.5);
            out.printf(Locale.ROOT, "%d fields x %d passes, %.0f cells found per field, model %s (%s, %d px)%n",
                    files.size(), repeats, (double) cells / total.size(), classifier.modelId(),
                    classifier.info().spec().architecture(), classifier.info().imageSize());
            out.printf(Locale.ROOT, "%-34s %8s %8s %8s %9s%n", "seconds per field", "median", "p90", "max", "ratio");
            row(out, "read + segment + crop + classify", total, medianTotal);
            row(out, "  read (decode the JPEG)", read, medianTotal);
            row(out, "  segment alone", segment, medianTotal);
        }
    }

    private static void row(PrintWriter out, String name, List<Double> seconds, double whole) {
        out.printf(Locale.ROOT, "%-34s %8.3f %8.3f %8.3f %9.2f%n", name, quantile(seconds, 0.5), quantile(seconds, 0.9),
                quantile(seconds, 1.0), quantile(seconds, 0.5) / whole);
    }

    private static double quantile(List<Double> values, double q) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        return v[(int) Math.min(v.length - 1, Math.floor(q * v.length))];
    }
}
