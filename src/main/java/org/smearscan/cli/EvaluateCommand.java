package org.smearscan.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.smearscan.evaluate.Bootstrap;
import org.smearscan.evaluate.Evaluation;
import org.smearscan.evaluate.EvaluationRun;
import org.smearscan.evaluate.EvaluationText;
import org.smearscan.evaluate.TrainingOverlap;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Measure a model on images it did not train on: every screening metric with its 95%% interval,"
                + " the confusion matrix, the operating point for a sensitivity target, calibration and"
                + " accuracy per donor.",
            "By default the images are the validation side of the model's own split (split.tsv beside the model)."},
        footer = {"", "Rule for --all: " + TrainingOverlap.RULE + "."})
final class EvaluateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "The model file (*.smear).")
    Path model;

    @Parameters(index = "1", paramLabel = "DATA", description = "The data set folder (class folders).")
    Path data;

    @Option(names = "--split-file", paramLabel = "FILE",
            description = "The model's split file (default: the one beside MODEL): its validation side is scored;"
                    + " with --all, its train side is what DATA must not contain.")
    Path splitFile;

    @Option(names = "--all", description = "Score every image of DATA; refused if any is a training image.")
    boolean all;

    @Option(names = "--tta", description = "Also score with test-time augmentation (mean over the 8 flips and turns).")
    boolean tta;

    @Option(names = "--threshold", paramLabel = "T",
            description = "Decision threshold on the probability of the positive class (default: the model's).")
    Double threshold;

    @Option(names = "--target-sensitivity", paramLabel = "S", defaultValue = "0.98",
            description = "Sensitivity the operating point must reach (default: ${DEFAULT-VALUE}).")
    double targetSensitivity;

    @Option(names = "--bootstrap", paramLabel = "N", defaultValue = "1000",
            description = "Bootstrap resamples for the intervals of F1, MCC, AUC, log loss, Brier (default: ${DEFAULT-VALUE}).")
    int bootstrap;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "" + EvaluationRun.DEFAULT_BATCH,
            description = "Network inputs per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--json", description = "Print one JSON object (and nothing else) on stdout.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        EvaluationRun.Request request = request(spec, model, data, splitFile, all, tta, threshold, targetSensitivity,
                bootstrap, batchSize);
        try (EvaluationRun run = EvaluationRun.run(request, message -> warn(spec, message))) {
            if (json) {
                spec.commandLine().getOut().println(new ObjectMapper().writeValueAsString(run.evaluation().toJsonMap()));
            } else {
                spec.commandLine().getOut().print(EvaluationText.render(run.evaluation()));
            }
            spec.commandLine().getOut().flush();
        }
        return 0;
    }

    /** Checks the options shared with {@code interpret}; bad values are usage errors (exit 2). */
    static EvaluationRun.Request request(CommandLine.Model.CommandSpec spec, Path model, Path data, Path splitFile,
            boolean all, boolean tta, Double threshold, double targetSensitivity, int bootstrap, int batchSize) {
        if (threshold != null && !(threshold >= 0 && threshold <= 1)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--threshold must be in [0, 1], got " + threshold);
        }
        if (!(targetSensitivity > 0 && targetSensitivity <= 1)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--target-sensitivity must be in (0, 1], got " + targetSensitivity);
        }
        if (bootstrap < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--bootstrap must be at least 1");
        }
        if (batchSize < 8) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--batch-size must be at least 8");
        }
        Evaluation.Settings settings = new Evaluation.Settings(threshold == null ? Double.NaN : threshold,
                targetSensitivity, new Bootstrap(bootstrap, Bootstrap.DEFAULT.seed()));
        return new EvaluationRun.Request(model, data, splitFile, all, tta, settings, batchSize, true);
    }

    static void warn(CommandLine.Model.CommandSpec spec, String message) {
        spec.commandLine().getErr().println("smearscan: warning: " + message);
        spec.commandLine().getErr().flush();
    }
}
