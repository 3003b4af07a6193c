package org.smearscan.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "data", mixinStandardHelpOptions = true, description = "Describe a data set and its split.")
final class DataCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("'data' is not built yet");
    }
}
