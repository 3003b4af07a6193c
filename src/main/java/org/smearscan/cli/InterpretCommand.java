package org.smearscan.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "interpret", mixinStandardHelpOptions = true, description = "Explain a model's errors with Grad-CAM and a report.")
final class InterpretCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("'interpret' is not built yet");
    }
}
