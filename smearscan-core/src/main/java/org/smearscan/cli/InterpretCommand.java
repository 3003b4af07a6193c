package org.smearscan.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.smearscan.evaluate.EvaluationRun;
import org.smearscan.evaluate.Interpretation;
import org.smearscan.evaluate.TrainingOverlap;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "interpret", mixinStandardHelpOptions = true,
        description = {"Explain a model's errors: the top losses as a grid and with Grad-CAM heatmaps, the confusion"
                + " matrix, ROC curve, reliability diagram, training curves, and one self-contained HTML report.",
            "The images are those 'evaluate' would score (by default the validation side of the model's split)."},
        footer = {"", "Rule for --all: " + TrainingOverlap.RULE + "."})
final class InterpretCommand implements Callable<Integer> {
    @Mixin
    EvaluationOptions options;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Folder to write the report and images to.")
    Path out;

    @Option(names = "--k", paramLabel = "K", defaultValue = "" + Interpretation.DEFAULT_K,
            description = "Number of top losses to show (default: ${DEFAULT-VALUE}).")
    int k;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (k < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--k must be at least 1, got " + k);
        }
        try (EvaluationRun run = EvaluationRun.run(options.request(spec),
                message -> EvaluationOptions.warn(spec, message))) {
            Interpretation.Result result = Interpretation.write(out, run.interpretationInputs(), k);
            spec.commandLine().getOut().println("Report: " + result.report().toAbsolutePath());
            spec.commandLine().getOut().println("Wrote " + result.files().size() + " files to " + out.toAbsolutePath());
            spec.commandLine().getOut().flush();
        }
        return 0;
    }
}
