package org.smearscan.workflow;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.smearscan.data.Download;
import org.smearscan.data.SmearscanHome;
import org.smearscan.data.SplitSpec;
import org.smearscan.data.UnreadableImageException;
import org.smearscan.evaluate.Evaluation;
import org.smearscan.evaluate.EvaluationRun;
import org.smearscan.evaluate.EvaluationText;
import org.smearscan.evaluate.Interpretation;
import org.smearscan.train.callback.ProgressDisplay;
import org.smearscan.train.run.Backbone;
import org.smearscan.train.run.Recipe;
import org.smearscan.train.run.TrainConfig;
import org.smearscan.train.run.TrainingRun;

/**
 * The whole tutorial in one call: get the data, train the default recipe on a donor split, evaluate the
 * model on the held-out donors and write the report. Each step is the same Java API the single commands use.
 */
public final class Tutorial {
    /** The report's folder inside the run folder. */
    public static final String REPORT_DIR = "report";

    private Tutorial() {}

    /** Where the run left its results. */
    public record Outcome(Path data, Path runDir, Path modelFile, Path report, Evaluation evaluation) {}

    /**
     * @param data   the data set, or null for {@code $SMEARSCAN_HOME/data/cell_images}, downloaded if missing
     * @param runDir the run folder
     * @param recipe what to train: {@link Recipe#DEFAULT} for the tutorial (tests shorten it)
     * @param seed   fixes split, shuffling, augmentation and initialisation
     */
    public static Outcome run(Path data, Path runDir, Recipe recipe, long seed, PrintStream out, Consumer<String> warn)
            throws IOException, UnreadableImageException {
        Path dataset = data != null ? data : fetchNihData(out);
        out.println("1/3 training on " + dataset + " (donor split) in " + runDir);
        TrainConfig config = new TrainConfig(dataset, runDir, recipe, SplitSpec.of(SplitSpec.Method.DONOR, 0.2, seed),
                seed, Backbone.BUILT, null, 2);
        TrainingRun.Outcome trained = TrainingRun.train(config, ProgressDisplay.Mode.AUTO, out);

        out.println("2/3 evaluating " + trained.modelFile() + " on the held-out donors");
        EvaluationRun.Request request = new EvaluationRun.Request(trained.modelFile(), dataset, null, false, true,
                Evaluation.Settings.DEFAULT, EvaluationRun.DEFAULT_BATCH, true);
        try (EvaluationRun evaluation = EvaluationRun.run(request, warn)) {
            out.println(EvaluationText.render(evaluation.evaluation()));
            out.println("3/3 writing the report");
            Interpretation.Result report = Interpretation.write(runDir.resolve(REPORT_DIR),
                    evaluation.interpretationInputs(), Interpretation.DEFAULT_K);
            return new Outcome(dataset, runDir, trained.modelFile(), report.report(), evaluation.evaluation());
        }
    }

    private static Path fetchNihData(PrintStream out) throws IOException {
        Path home = SmearscanHome.dataDir();
        Download download = new Download(Download.Source.nih());
        Path expected = home.resolve(Download.Source.nih().folderName());
        if (!Files.isDirectory(expected)) {
            out.println("0/3 downloading the NIH cell images to " + home);
        }
        return download.run(home);
    }
}
