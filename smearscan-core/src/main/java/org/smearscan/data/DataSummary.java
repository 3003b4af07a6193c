package org.smearscan.data;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The human-readable account of a data set and its split that {@code smearscan data} prints. */
public final class DataSummary {
    private static final int EXAMPLES = 3;

    private DataSummary() {}

    /**
     * Prints classes, counts, donors, image sizes, skipped files and, when {@code split} is not null, both
     * sides of the split.
     */
    public static void print(PrintWriter out, CellDataset dataset, ImageSizes sizes, Split split) {
        List<String> classes = dataset.classes();
        int[] counts = dataset.countsPerClass();
        out.printf("Data set    %s%n", dataset.root());
        for (String note : dataset.notes()) {
            out.printf("            (%s)%n", note);
        }
        out.printf("Layout      %s%n", dataset.isPreSplit() ? "train/valid folders" : "one folder per class");
        out.printf("Classes     %d: %s%n", classes.size(), String.join(", ", classes));
        out.printf("Images      %s%n", n(dataset.images().size()));
        for (int c = 0; c < classes.size(); c++) {
            out.printf("  %-22s %8s%n", classes.get(c), n(counts[c]));
        }
        out.printf("Donors      %s%n", n(dataset.donors().size()));
        if (dataset.imagesWithoutDonorId() > 0) {
            out.printf("            %s images have no donor id in their name; each counts as its own donor%n",
                    n(dataset.imagesWithoutDonorId()));
        }
        if (sizes != null) {
            out.printf("Image size  width  min %d, median %d, max %d%n", sizes.minWidth(), sizes.medianWidth(),
                    sizes.maxWidth());
            out.printf("            height min %d, median %d, max %d  (headers of %s images)%n", sizes.minHeight(),
                    sizes.medianHeight(), sizes.maxHeight(), n(sizes.measured()));
            if (!sizes.problems().isEmpty()) {
                out.printf("            %s images have unreadable headers, e.g.:%n", n(sizes.problems().size()));
                for (ImageSizes.Problem p : sizes.problems().subList(0, Math.min(EXAMPLES, sizes.problems().size()))) {
                    out.printf("              %s: %s%n", CellDataset.relative(dataset.root(), p.file()), p.problem());
                }
            }
        }
        Map<String, Integer> reasons = dataset.skippedByReason();
        out.printf("Skipped     %s%n", plural(dataset.skipped().size(), "file"));
        for (Map.Entry<String, Integer> reason : reasons.entrySet()) {
            String example = dataset.skipped().stream().filter(s -> s.reason().equals(reason.getKey()))
                    .map(s -> relativeOrAbsolute(dataset, s)).findFirst().orElse("");
            out.printf("  %-26s %6s  (e.g. %s)%n", reason.getKey(), n(reason.getValue()), example);
        }
        if (split != null) {
            out.printf("Split       %s%n", split.description());
            side(out, "train", split.train(), split.trainDonors(), classes);
            side(out, "valid", split.valid(), split.validDonors(), classes);
            out.printf("  donors on both sides: %s%n", n(split.sharedDonors().size()));
            int unused = dataset.images().size() - split.train().size() - split.valid().size();
            if (unused > 0) {
                out.printf("  not in either side (test/ folder): %s images%n", n(unused));
            }
        }
        out.flush();
    }

    /** Reports the images that could not be decoded when the cache was built. */
    public static void printDecodeCheck(PrintWriter out, CellDataset dataset, ImageCache cache) {
        int bad = cache.unreadable().size();
        out.printf("Decoded     %s images at %d px (%s), cache %s%n", n(cache.count() - bad), cache.size(),
                cache.method().name().toLowerCase(Locale.ROOT), cache.file());
        out.printf("Unreadable  %s%n", plural(bad, "image"));
        int shown = 0;
        for (ImageCache.Unreadable u : cache.unreadable()) {
            if (shown++ == 20) {
                out.printf("  ... and %s more%n", n(bad - 20));
                break;
            }
            out.printf("  %s: %s%n", relativeOrAbsolute(dataset, u.image().path()), u.problem());
        }
        out.flush();
    }

    private static void side(PrintWriter out, String name, List<CellImage> images, Set<String> donors,
            List<String> classes) {
        int[] counts = Split.countsPerClass(images, classes.size());
        StringBuilder perClass = new StringBuilder();
        for (int c = 0; c < classes.size(); c++) {
            perClass.append(c == 0 ? "" : ", ").append(classes.get(c)).append(' ').append(n(counts[c]));
        }
        out.printf("  %-6s %8s images (%s), %s donors%n", name, n(images.size()), perClass, n(donors.size()));
    }

    private static String relativeOrAbsolute(CellDataset dataset, CellDataset.Skipped s) {
        return relativeOrAbsolute(dataset, s.file());
    }

    private static String relativeOrAbsolute(CellDataset dataset, java.nio.file.Path file) {
        return file.startsWith(dataset.root()) ? CellDataset.relative(dataset.root(), file) : file.toString();
    }

    private static String plural(long count, String noun) {
        return n(count) + " " + noun + (count == 1 ? "" : "s");
    }

    private static String n(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }
}
