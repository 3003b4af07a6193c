package org.smearscan.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Entry point. Holds no logic: each subcommand parses its options and delegates to the Java API.
 * Exit codes: 0 ok, 1 failure, 2 usage error.
 */
@Command(
        name = "smearscan",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Train, evaluate, explain and serve malaria cell classifiers.",
        subcommands = {
            DownloadCommand.class,
            DataCommand.class,
            TrainCommand.class,
            CvCommand.class,
            TrainFieldsCommand.class,
            ComposeFieldsCommand.class,
            LrFindCommand.class,
            EvaluateCommand.class,
            EvaluateFieldsCommand.class,
            CalibrateCommand.class,
            FitOodCommand.class,
            InterpretCommand.class,
            ExportCommand.class,
            PredictCommand.class,
            ScreenCommand.class,
            ServeCommand.class,
            RunCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces with errors.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "choose a subcommand");
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code, for tests. */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler(Main::reportFailure);
        return cli.execute(args);
    }

    /** One line naming the problem; the stack trace only with --verbose. */
    private static int reportFailure(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        boolean verbose = parsed.hasMatchedOption("--verbose")
                || parsed.subcommands().stream().anyMatch(s -> s.hasMatchedOption("--verbose"));
        String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        cli.getErr().println("smearscan: error: " + message);
        if (verbose) {
            e.printStackTrace(cli.getErr());
        } else {
            cli.getErr().println("(run again with --verbose for details)");
        }
        cli.getErr().flush();
        return 1;
    }
}
