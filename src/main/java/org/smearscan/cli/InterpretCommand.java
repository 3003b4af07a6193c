package org.smearscan.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.smearscan.evaluate.EvaluationRun;
import org.smearscan.evaluate.Interpretation;
import org.smearscan.evaluate.TrainingOverlap;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "interpret", mixinStandardHelpOptions = true,
        description = {"Explain a model's errors: the top losses as a grid and with Grad-CAM heatmaps, the confusion"
                + " matrix, ROC curve, reliability diagram, training curves, and one self-contained HTML report.",
            "The images are those 'evaluate' would score (by default the validation side of the model's split)."},
        footer = {"", "Rule for --all: " + TrainingOverlap.RULE + "."})
final class InterpretCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "The model file (*.smear).")
    Path model;

    @Parameters(index = "1", paramLabel = "DATA", description = "The data set folder (class folders).")
    Path data;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Folder to write the report and images to.")
    Path out;

    @Option(names = "--k", paramLabel = "K", defaultValue = "" + Interpretation.DEFAULT_K,
            description = "Number of top losses to show (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--split-file", paramLabel = "FILE",
            description = "The model's split file (default: the one beside MODEL).")
    Path splitFile;

    @Option(names = "--all", description = "Use every image of DATA; refused if any is a training image.")
    boolean all;

    @Option(names = "--tta", description = "Also report test-time augmentation figures.")
    boolean tta;

    @Option(names = "--threshold", paramLabel = "T", description = "Decision threshold (default: the model's).")
    Double threshold;

    @Option(names = "--target-sensitivity", paramLabel = "S", defaultValue = "0.98",
            description = "Sensitivity the operating point must reach (default: ${DEFAULT-VALUE}).")
    double targetSensitivity;

    @Option(names = "--bootstrap", paramLabel = "N", defaultValue = "1000",
            description = "Bootstrap resamples (default: ${DEFAULT-VALUE}).")
    int bootstrap;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "" + EvaluationRun.DEFAULT_BATCH,
            description = "Network inputs per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (k < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--k must be at least 1, got " + k);
        }
        EvaluationRun.Request request = EvaluateCommand.request(spec, model, data, splitFile, all, tta, threshold,
                targetSensitivity, bootstrap, batchSize);
        try (EvaluationRun run = EvaluationRun.run(request, message -> EvaluateCommand.warn(spec, message))) {
            Interpretation.Result result = Interpretation.write(out, run.interpretationInputs(), k);
            spec.commandLine().getOut().println("Report: " + result.report().toAbsolutePath());
            spec.commandLine().getOut().println("Wrote " + result.files().size() + " files to " + out.toAbsolutePath());
            spec.commandLine().getOut().flush();
        }
        return 0;
    }
}
