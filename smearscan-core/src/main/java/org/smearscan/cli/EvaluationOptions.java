package org.smearscan.cli;

import java.nio.file.Path;
import org.smearscan.stats.Bootstrap;
import org.smearscan.evaluate.Evaluation;
import org.smearscan.evaluate.EvaluationRun;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The model, images and measurement options that {@code evaluate} and {@code interpret} share. */
final class EvaluationOptions {
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

    /** Checks the values; bad ones are usage errors (exit 2). */
    EvaluationRun.Request request(CommandLine.Model.CommandSpec spec) {
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

    /** Prints a caveat about the evaluated images on stderr. */
    static void warn(CommandLine.Model.CommandSpec spec, String message) {
        spec.commandLine().getErr().println("smearscan: warning: " + message);
        spec.commandLine().getErr().flush();
    }
}
