package org.smearscan.workflow;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;
import org.smearscan.data.SplitSpec;
import org.smearscan.data.UnreadableImageException;
import org.smearscan.evaluate.Evaluation;
import org.smearscan.evaluate.EvaluationRun;
import org.smearscan.evaluate.Metrics;
import org.smearscan.io.AtomicFiles;
import org.smearscan.io.RunFolder;
import org.smearscan.train.callback.EpochRecord;
import org.smearscan.train.callback.History;
import org.smearscan.train.callback.ProgressDisplay;
import org.smearscan.train.run.TrainConfig;
import org.smearscan.train.run.TrainingRun;

/**
 * Donor-level k-fold cross-validation: each fold's donors are held out once, a model is trained on the others
 * (a run folder {@code fold-k} per fold) and evaluated on them; the table gives each fold and the mean and
 * spread of accuracy, sensitivity, specificity and AUC. A fold whose result is already written is not run
 * again, and a fold stopped during training resumes from its last epoch, so a cut-off run goes on where it
 * stopped when started again with the same arguments. Each fold's out-of-fold scores are kept, and the images
 * whose label they contradict are listed ({@link OutOfFold}).
 */
public final class CrossValidation {
    /** A fold's result, written into its run folder once it is evaluated. */
    public static final String FOLD_RESULT = "cv-fold.json";
    /** The table of all folds, written into the cross-validation folder at the end. */
    public static final String SUMMARY = "cv.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private CrossValidation() {}

    /**
     * One fold on its held-out donors: its model is the best epoch, which training chose by accuracy on those same
     * donors (its validation side), so these figures lean optimistic; the last epoch's involve no such choice.
     *
     * @param seconds      training time of the fold (wall), 0 when not known (trained by an earlier version)
     * @param lastAccuracy accuracy of the last epoch on the same donors (from the run's history)
     * @param lastAuc      its AUC
     */
    public record Fold(int fold, int images, int donors, double accuracy, double sensitivity, double specificity,
            double auc, double seconds, double lastAccuracy, double lastAuc) {

        /** This fold with the last epoch's figures read from its run folder's history. */
        Fold withLastEpoch(Path runDir) throws IOException {
            List<EpochRecord> history = History.read(runDir);
            if (history.isEmpty()) {
                throw new IOException(runDir + " has no training history (" + RunFolder.HISTORY_JSON + ")");
            }
            EpochRecord last = history.get(history.size() - 1);
            return new Fold(fold, images, donors, accuracy, sensitivity, specificity, auc, seconds, last.accuracy(),
                    last.auc());
        }
    }

    /** Mean and sample standard deviation over the folds, and the worst and best fold. */
    public record Spread(double mean, double sd, double min, double max) {
        static Spread of(List<Fold> folds, ToDoubleFunction<Fold> metric) {
            double[] v = folds.stream().mapToDouble(metric).toArray();
            double mean = Arrays.stream(v).average().orElse(Double.NaN);
            double ss = Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum();
            return new Spread(mean, v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : Double.NaN,
                    Arrays.stream(v).min().orElse(Double.NaN), Arrays.stream(v).max().orElse(Double.NaN));
        }
    }

    public record Summary(List<Fold> folds, Spread accuracy, Spread sensitivity, Spread specificity, Spread auc,
            double seconds, Spread lastAccuracy, Spread lastAuc) {
        static Summary of(List<Fold> folds) {
            return new Summary(List.copyOf(folds), Spread.of(folds, Fold::accuracy), Spread.of(folds, Fold::sensitivity),
                    Spread.of(folds, Fold::specificity), Spread.of(folds, Fold::auc),
                    folds.stream().mapToDouble(Fold::seconds).sum(), Spread.of(folds, Fold::lastAccuracy),
                    Spread.of(folds, Fold::lastAuc));
        }
    }

    /**
     * Runs (or finishes) a {@code k}-fold cross-validation in {@code template.runDir()}: each fold trains as
     * {@code template} says (data, recipe, seed, body, cache), on its own donor-level fold. Fails, naming the
     * fold, when a fold folder holds a run of another recipe, seed or data set.
     */
    public static Summary run(TrainConfig template, int k, PrintStream out, Consumer<String> warn)
            throws IOException, UnreadableImageException {
        return run(template, k, k, out, warn);
    }

    /**
     * As {@link #run(TrainConfig, int, PrintStream, Consumer)}, for the first {@code first} of the {@code k}
     * folds only: to screen a candidate recipe on a few folds before running all of them in the same folder.
     */
    public static Summary run(TrainConfig template, int k, int first, PrintStream out, Consumer<String> warn)
            throws IOException, UnreadableImageException {
        if (first < 1 || first > k) {
            throw new IllegalArgumentException("the folds to run must be 1.." + k + ", got " + first);
        }
        Path dir = Files.createDirectories(template.runDir());
        List<Fold> folds = new ArrayList<>(first);
        for (int fold = 1; fold <= first; fold++) {
            TrainConfig config = new TrainConfig(template.data(), dir.resolve("fold-" + fold), template.recipe(),
                    SplitSpec.donorFold(k, fold, template.split().seed()), template.seed(), template.backbone(),
                    template.cacheDir(), template.workers());
            Path result = config.runDir().resolve(FOLD_RESULT);
            if (Files.exists(result)) {
                requireSameRun(config);
                Fold done = JSON.readValue(result.toFile(), Fold.class);
                out.printf(Locale.ROOT, "fold %d/%d: done earlier (%s)%n", fold, k, result);
                if (!Files.exists(config.runDir().resolve(OutOfFold.PREDICTIONS))) {
                    // a fold finished before the predictions were kept: score its held-out donors again
                    out.printf(Locale.ROOT, "fold %d/%d: scoring its held-out donors again to keep their predictions%n",
                            fold, k);
                    evaluate(config, fold, done.seconds(), warn);
                }
                folds.add(done.withLastEpoch(config.runDir()));
                continue;
            }
            folds.add(runFold(config, fold, k, out, warn));
        }
        reportSuspects(dir, first, out);
        Summary summary = Summary.of(folds);
        // a screen of a few folds leaves the folder's table of all folds to the full run
        AtomicFiles.writeString(dir.resolve(first == k ? SUMMARY : "cv-first-" + first + ".json"),
                JSON.writeValueAsString(summary));
        out.print(table(summary));
        return summary;
    }

    private static Fold runFold(TrainConfig config, int fold, int k, PrintStream out, Consumer<String> warn)
            throws IOException, UnreadableImageException {
        Path runDir = config.runDir();
        Path modelFile = runDir.resolve(RunFolder.MODEL);
        long start = System.nanoTime();
        if (!Files.exists(modelFile)) {
            if (Files.exists(runDir.resolve(RunFolder.CHECKPOINT))) {
                requireSameRun(config);
                out.printf(Locale.ROOT, "fold %d/%d: resuming the training in %s%n", fold, k, runDir);
                TrainingRun.resume(runDir, ProgressDisplay.Mode.AUTO, out);
            } else {
                out.printf(Locale.ROOT, "fold %d/%d: training in %s%n", fold, k, runDir);
                TrainingRun.train(config, ProgressDisplay.Mode.AUTO, out);
            }
        } else {
            requireSameRun(config);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf(Locale.ROOT, "fold %d/%d: evaluating on its held-out donors%n", fold, k);
        Fold result = evaluate(config, fold, seconds, warn);
        AtomicFiles.writeString(runDir.resolve(FOLD_RESULT), JSON.writeValueAsString(result));
        out.printf(Locale.ROOT, "fold %d/%d: accuracy %.4f, sensitivity %.4f, specificity %.4f, AUC %.4f%n",
                fold, k, result.accuracy(), result.sensitivity(), result.specificity(), result.auc());
        return result;
    }

    /** Scores the fold's model on its held-out donors and keeps every image's scores (out of fold). */
    private static Fold evaluate(TrainConfig config, int fold, double seconds, Consumer<String> warn)
            throws IOException, UnreadableImageException {
        Path runDir = config.runDir();
        EvaluationRun.Request request = new EvaluationRun.Request(runDir.resolve(RunFolder.MODEL), config.data(),
                runDir.resolve(RunFolder.SPLIT), false, false, Evaluation.Settings.DEFAULT, EvaluationRun.DEFAULT_BATCH,
                false);
        try (EvaluationRun evaluation = EvaluationRun.run(request, warn)) {
            List<String> classes = evaluation.model().info().classes();
            double temperature = evaluation.model().info().temperature();
            double[][] probabilities = new double[classes.size()][];
            for (int c = 0; c < classes.size(); c++) {
                probabilities[c] = evaluation.scores().probabilities(c, temperature);
            }
            OutOfFold.write(runDir.resolve(OutOfFold.PREDICTIONS), classes, evaluation.subset().images(),
                    probabilities, fold);
            Metrics m = evaluation.evaluation().plain();
            return new Fold(fold, m.n(), evaluation.evaluation().donors().size(), m.accuracy().value(),
                    m.sensitivity().value(), m.specificity().value(), m.auc().value(), seconds, Double.NaN, Double.NaN)
                    .withLastEpoch(runDir);
        }
    }

    /** Lists the images whose label the out-of-fold models contradict, over the folds run so far. */
    private static void reportSuspects(Path dir, int folds, PrintStream out) throws IOException {
        List<String> classes = null;
        List<OutOfFold.Row> rows = new ArrayList<>();
        for (int fold = 1; fold <= folds; fold++) {
            Path file = dir.resolve("fold-" + fold).resolve(OutOfFold.PREDICTIONS);
            OutOfFold.Table table = OutOfFold.read(file);
            if (classes != null && !classes.equals(table.classes())) {
                throw new IOException(file + " has the classes " + table.classes() + ", fold 1 " + classes);
            }
            classes = table.classes();
            rows.addAll(table.rows());
        }
        List<OutOfFold.Suspect> suspects = OutOfFold.suspects(rows, classes.size());
        Path file = dir.resolve(OutOfFold.SUSPECTS);
        OutOfFold.writeSuspects(file, classes, suspects);
        OutOfFold.writeGrid(dir.resolve(OutOfFold.SUSPECTS_GRID), classes, suspects);
        out.printf(Locale.ROOT, "%d of %d held-out images (%.1f%%) have a label their fold's model contradicts with "
                + "confidence (confident learning); look at them before trusting those labels: %s%s%n",
                suspects.size(), rows.size(), 100.0 * suspects.size() / Math.max(1, rows.size()), file,
                suspects.isEmpty() ? "" : " (the first " + Math.min(OutOfFold.GRID_TILES, suspects.size())
                        + " drawn in " + OutOfFold.SUSPECTS_GRID + ")");
    }

    /** A fold folder may only be taken up again by the same cross-validation. */
    private static void requireSameRun(TrainConfig wanted) throws IOException {
        TrainConfig found = TrainingRun.readConfig(wanted.runDir());
        if (!found.recipe().equals(wanted.recipe()) || found.seed() != wanted.seed()
                || !found.split().equals(wanted.split()) || !found.data().equals(wanted.data())) {
            throw new IOException(wanted.runDir() + " holds a run of another recipe, seed, split or data set ("
                    + found.recipe() + ", seed " + found.seed() + ", " + found.data() + "); choose another --out");
        }
    }

    /** The folds and their mean ± standard deviation (min-max), as the command prints it. */
    public static String table(Summary s) {
        StringBuilder b = new StringBuilder();
        String row = "%-16s %7s %7s %15s %15s %15s %15s %8s%n";
        b.append(String.format(Locale.ROOT, row, "fold", "images", "donors", "accuracy", "sensitivity",
                "specificity", "AUC", "train s"));
        for (Fold f : s.folds()) {
            b.append(String.format(Locale.ROOT, row, f.fold(), f.images(), f.donors(), four(f.accuracy()),
                    four(f.sensitivity()), four(f.specificity()), four(f.auc()), String.format(Locale.ROOT, "%.0f",
                            f.seconds())));
        }
        b.append(String.format(Locale.ROOT, row, "mean ± sd", "", "", pm(s.accuracy()), pm(s.sensitivity()),
                pm(s.specificity()), pm(s.auc()), ""));
        b.append(String.format(Locale.ROOT, row, "worst-best fold", "", "", range(s.accuracy()),
                range(s.sensitivity()), range(s.specificity()), range(s.auc()), ""));
        b.append(String.format(Locale.ROOT, row, "last epoch", "", "", pm(s.lastAccuracy()), "", "", pm(s.lastAuc()), ""));
        b.append("Each fold's model is its best epoch, chosen by accuracy on the same held-out donors, which favours it;\n"
                + "the last epoch's figures (from each fold's history) involve no choice made on them.\n");
        return b.toString();
    }

    private static String four(double x) {
        return String.format(Locale.ROOT, "%.4f", x);
    }

    private static String pm(Spread s) {
        return String.format(Locale.ROOT, "%.4f±%.4f", s.mean(), s.sd());
    }

    private static String range(Spread s) {
        return String.format(Locale.ROOT, "%.4f-%.4f", s.min(), s.max());
    }
}
