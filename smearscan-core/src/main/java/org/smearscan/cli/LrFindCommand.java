package org.smearscan.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.smearscan.io.RunFolder;
import org.smearscan.train.callback.LrFinder;
import org.smearscan.train.run.TrainConfig;
import org.smearscan.train.run.TrainingRun;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "lr-find", mixinStandardHelpOptions = true, sortOptions = false,
        resourceBundle = "org.smearscan.cli.RecipeDefaults",
        description = {"Find a learning rate (fastai's lr_find): train briefly with an exponentially growing rate,",
            "plot the smoothed loss against it and suggest rates. The model is left untrained."})
final class LrFindCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    TrainCommand.DataModelOptions options;

    @Option(names = "--start-lr", paramLabel = "X", defaultValue = "1e-7", description = "First rate (default: ${DEFAULT-VALUE}).")
    double startLr;

    @Option(names = "--end-lr", paramLabel = "X", defaultValue = "10", description = "Last rate (default: ${DEFAULT-VALUE}).")
    double endLr;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "100",
            description = "Batches the sweep takes (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--no-stop", description = "Run every batch even after the loss diverges (4x its minimum).")
    boolean noStop;

    @Option(names = "--out", paramLabel = "DIR", description = "Where lr_find.png and lr_find.csv go (default: runs/lr-find-<date-time>).")
    Path out;

    @Override
    public Integer call() throws Exception {
        LrFinder finder = TrainCommand.DataModelOptions.parse(spec,
                () -> new LrFinder(startLr, endLr, iterations, !noStop));
        TrainConfig config = options.config(spec, options.recipe(spec),
                out != null ? out : TrainCommand.defaultRunDir("lr-find"));
        options.applyThreads();
        PrintStream stdout = new PrintStream(new TrainCommand.WriterOutputStream(spec.commandLine().getOut()), true);
        LrFinder.Result result = TrainingRun.lrFind(config, finder, stdout);
        stdout.printf(Locale.ROOT, "%d batches%s%n", result.learningRates().length,
                result.diverged() ? ", stopped when the loss diverged" : "");
        stdout.printf(Locale.ROOT, "suggested learning rates: valley %.2e, minimum/10 %.2e%n", result.valley(),
                result.minimumOver10());
        stdout.println("plot: " + config.runDir().resolve(RunFolder.LR_FIND_PLOT));
        stdout.flush();
        return 0;
    }
}
