package org.smearscan.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.smearscan.data.CellDataset;
import org.smearscan.data.Download;
import org.smearscan.data.SmearscanHome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "download", mixinStandardHelpOptions = true,
        description = {"Fetch the NIH cell_images data set (353 MB): resumes an interrupted download, checks the"
                + " SHA-256, then extracts it to DIR/cell_images."})
final class DownloadCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Where to put it (default: $SMEARSCAN_HOME/data, else ~/.smearscan/data).")
    Path dir;

    @Option(names = "--keep-zip", description = "Keep cell_images.zip after extracting it.")
    boolean keepZip;

    @Override
    public Integer call() throws Exception {
        Path target = dir != null ? dir : SmearscanHome.dataDir();
        Path images = new Download(Download.Source.nih()).keepZip(keepZip).run(target);
        CellDataset dataset = CellDataset.scan(images);
        int[] counts = dataset.countsPerClass();
        PrintWriter out = spec.commandLine().getOut();
        out.printf("Data set ready: %s%n", dataset.root());
        for (int c = 0; c < counts.length; c++) {
            out.printf("  %-12s %,d images%n", dataset.classes().get(c), counts[c]);
        }
        out.printf("  %d donors. Next: smearscan data %s%n", dataset.donors().size(), dataset.root());
        out.flush();
        return 0;
    }
}
