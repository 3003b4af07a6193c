package org.smearscan.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.smearscan.data.CellDataset;
import org.smearscan.data.DataSummary;
import org.smearscan.data.ImageCache;
import org.smearscan.data.ImageSizes;
import org.smearscan.data.ResizeMethod;
import org.smearscan.data.SmearscanHome;
import org.smearscan.data.Split;
import org.smearscan.data.SplitFile;
import org.smearscan.data.SplitSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "data", mixinStandardHelpOptions = true,
        description = "Describe a data set (classes, counts, donors, image sizes, skipped files) and its split.")
final class DataCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "Folder with one sub-folder per class (or train/ and valid/).")
    Path dir;

    @Option(names = "--split", paramLabel = "METHOD", defaultValue = "random",
            description = "random, donor or folders (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--valid-pct", paramLabel = "P", defaultValue = "0.2",
            description = "Share of images held out (default: ${DEFAULT-VALUE}).")
    double validPct;

    @Option(names = "--seed", defaultValue = "" + SplitSpec.DEFAULT_SEED, description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--folds", paramLabel = "K", defaultValue = "0",
            description = "Donor-level k-fold: number of folds (with --split donor).")
    int folds;

    @Option(names = "--fold", paramLabel = "k", defaultValue = "1", description = "Which fold is held out, 1..K.")
    int fold;

    @Option(names = "--write-split", paramLabel = "FILE", description = "Also write the split as a TSV file.")
    Path writeSplit;

    @Option(names = "--no-sizes", description = "Skip reading image headers for size statistics.")
    boolean noSizes;

    @Option(names = "--check", description = "Decode every image once (building the image cache used for"
            + " training) and list the unreadable ones.")
    boolean check;

    @Option(names = "--size", defaultValue = "64", description = "With --check: cache image side in pixels"
            + " (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--resize", defaultValue = "squish", description = "With --check: squish, crop or pad"
            + " (default: ${DEFAULT-VALUE}).")
    String resize;

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "With --check: cache folder (default: $SMEARSCAN_HOME/cache, else ~/.smearscan/cache).")
    Path cacheDir;

    @Override
    public Integer call() throws Exception {
        SplitSpec.Method method = SplitSpec.Method.parse(split);
        SplitSpec splitSpec = new SplitSpec(method, validPct, seed, folds, folds > 0 ? fold : 0);
        ResizeMethod resizeMethod = parseResize(resize);
        CellDataset dataset = CellDataset.scan(dir);
        Split result = splitSpec.apply(dataset);
        ImageSizes sizes = noSizes ? null : ImageSizes.measure(dataset.images());
        PrintWriter out = spec.commandLine().getOut();
        DataSummary.print(out, dataset, sizes, result);
        if (check) {
            ImageCache cache = ImageCache.open(dataset, size, resizeMethod,
                    cacheDir != null ? cacheDir : SmearscanHome.cacheDir());
            DataSummary.printDecodeCheck(out, dataset, cache);
        }
        if (writeSplit != null) {
            String sha = SplitFile.write(writeSplit, result, dataset);
            out.printf("Split file  %s (sha256 %s)%n", writeSplit.toAbsolutePath(), sha);
        }
        out.flush();
        return 0;
    }

    private static ResizeMethod parseResize(String name) {
        try {
            return ResizeMethod.valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown resize method '" + name + "': use squish, crop or pad");
        }
    }
}
