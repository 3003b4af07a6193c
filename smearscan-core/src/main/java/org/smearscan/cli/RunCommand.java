package org.smearscan.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.smearscan.data.SplitSpec;
import org.smearscan.train.run.Recipe;
import org.smearscan.workflow.Tutorial;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"The whole tutorial in one go: download the NIH data if it is missing, train the default recipe"
                + " on a donor split, evaluate on the held-out donors, write the report.",
            "Prints where the report and the model file are."})
final class RunCommand implements Callable<Integer> {
    @Option(names = "--data", paramLabel = "DIR",
            description = "The data set (default: $SMEARSCAN_HOME/data/cell_images, downloaded when missing).")
    Path data;

    @Option(names = "--out", paramLabel = "RUN_DIR", description = "Run folder (default: runs/tutorial-<date-time>).")
    Path out;

    @Option(names = "--seed", defaultValue = "" + SplitSpec.DEFAULT_SEED, description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintStream stdout = new PrintStream(new TrainCommand.WriterOutputStream(spec.commandLine().getOut()), true);
        Path runDir = out != null ? out : TrainCommand.defaultRunDir("tutorial");
        Tutorial.Outcome outcome = Tutorial.run(data, runDir, Recipe.DEFAULT, seed, stdout, message -> EvaluationOptions.warn(spec, message));
        stdout.println("Report: " + outcome.report().toAbsolutePath());
        stdout.println("Model:  " + outcome.modelFile().toAbsolutePath());
        stdout.flush();
        return 0;
    }
}
