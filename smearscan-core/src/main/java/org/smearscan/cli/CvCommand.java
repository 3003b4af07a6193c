package org.smearscan.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.smearscan.train.run.Recipe;
import org.smearscan.train.run.TrainConfig;
import org.smearscan.workflow.CrossValidation;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "cv", mixinStandardHelpOptions = true, resourceBundle = "org.smearscan.cli.RecipeDefaults",
        description = {"Donor-level cross-validation: train a recipe once per fold of donors, evaluate each model on"
                + " the donors it never saw, and print each fold and the mean and spread of accuracy, sensitivity,"
                + " specificity and AUC.",
            "Takes the options of train; --folds K sets the number of folds (default 5). Folds already evaluated are skipped and a fold stopped during training"
                    + " resumes, so the same command line finishes a run that was cut off.",
            "Each fold keeps its out-of-fold scores (fold-k/predictions.csv); suspects.csv lists the images whose label"
                    + " those scores contradict with confidence (confident learning), for a person to review."})
final class CvCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    TrainCommand.DataModelOptions options;

    @Mixin
    TrainCommand.PhaseOptions phases;

    @Option(names = "--out", paramLabel = "DIR", description = "Cross-validation folder, one run folder per fold"
            + " (default: runs/cv-<date-time>; give it to continue a run that was cut off).")
    Path out;

    @Option(names = "--screen", paramLabel = "N", description = "Run only the first N folds, to screen a candidate"
            + " recipe; the same command without it (and the same --out) later runs the rest.")
    Integer screen;

    @Override
    public Integer call() throws Exception {
        if (!"donor".equalsIgnoreCase(options.split)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "cv holds out donors: --split must be donor");
        }
        if (spec.commandLine().getParseResult().hasMatchedOption("--fold")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "cv runs every fold; --fold is for train");
        }
        int k = options.folds > 0 ? options.folds : 5;
        options.folds = k; // the template's split: fold 1 of k (each fold gets its own)
        options.fold = 1;
        Recipe recipe = phases.recipe(spec, options);
        TrainConfig template = options.config(spec, recipe, out != null ? out : TrainCommand.defaultRunDir("cv"));
        options.applyThreads();
        PrintStream stdout = new PrintStream(new TrainCommand.WriterOutputStream(spec.commandLine().getOut()), true);
        PrintStream stderr = new PrintStream(new TrainCommand.WriterOutputStream(spec.commandLine().getErr()), true);
        int first = screen != null ? screen : k;
        if (first < 1 || first > k) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--screen must be 1.." + k + ", got " + first);
        }
        stdout.println(k + "-fold donor cross-validation in " + template.runDir()
                + (first < k ? " (the first " + first + " folds)" : ""));
        CrossValidation.run(template, k, first, stdout, stderr::println);
        return 0;
    }
}
