package org.smearscan.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "predict", mixinStandardHelpOptions = true, description = "Classify images.")
final class PredictCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("'predict' is not built yet");
    }
}
