package org.smearscan.bench;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * What every benchmark is: a picocli command whose options are its fields, run by {@link #main} (from a
 * benchmark's own {@code main}) or {@link #execute} (from tests). A benchmark writes its report to the
 * {@code out} it is given, which is standard output when run from bench/*.sh.
 * Exit codes: 0 done, 1 failed (stack trace on standard error), 2 usage error.
 */
public abstract class BenchCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    /** Runs the benchmark, writing its report to {@code out}. */
    protected abstract void run(PrintWriter out) throws Exception;

    @Override
    public final Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try {
            run(out);
        } finally {
            out.flush();
        }
        return 0;
    }

    /** A usage error (exit code 2, with the usage), for option values that picocli cannot check alone. */
    protected final ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** A benchmark's {@code main}: runs it on the command line and exits with its exit code. */
    public static void main(BenchCommand command, String[] args) {
        System.exit(commandLine(command).execute(args));
    }

    /** Runs a benchmark with its report to {@code out} and messages to {@code err}; returns the exit code. */
    public static int execute(BenchCommand command, PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = commandLine(command);
        cli.setOut(out);
        cli.setErr(err);
        return cli.execute(args);
    }

    private static CommandLine commandLine(BenchCommand command) {
        CommandLine cli = new CommandLine(command);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        // An option given twice takes the last value, so options after a script's preset (serve-load.sh --quick) win.
        cli.setOverwrittenOptionsAllowed(true);
        return cli;
    }
}
