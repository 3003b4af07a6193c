package org.smearscan.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "download", mixinStandardHelpOptions = true, description = "Fetch the NIH cell_images data set.")
final class DownloadCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("'download' is not built yet");
    }
}
