package org.smearscan.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "lr-find", mixinStandardHelpOptions = true, description = "Find a learning rate.")
final class LrFindCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("'lr-find' is not built yet");
    }
}
