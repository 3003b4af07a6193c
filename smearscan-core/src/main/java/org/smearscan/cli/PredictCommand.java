package org.smearscan.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.smearscan.data.ProgressReporter;
import org.smearscan.inference.CellClassifier;
import org.smearscan.inference.DistributionShift;
import org.smearscan.inference.EngineKind;
import org.smearscan.inference.FileResult;
import org.smearscan.inference.ScreeningPipeline;
import org.smearscan.predict.HeatmapFolder;
import org.smearscan.predict.InputFiles;
import org.smearscan.predict.ResultWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Classify cell images with a model file.",
            "An unreadable file is listed with its error and the others are still classified; the exit code is"
                    + " then still 0 (use --fail-on-error for 1). Results go to stdout, progress and the"
                    + " summary to stderr."})
final class PredictCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL",
            description = "Model file (*.smear; with --engine onnxruntime also an exported *.onnx).")
    Path model;

    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "pytorch", converter = EngineOption.class,
            description = EngineOption.DESCRIPTION)
    EngineKind engine;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "PATH",
            description = "Image files, folders (searched recursively for images) or quoted globs such as 'cells/**/*.png'.")
    List<String> paths;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "table, csv or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--tta", description = "Average the 8 flips and quarter turns of each image (8x the work).")
    boolean tta;

    @Option(names = "--heatmap", paramLabel = "DIR", description = "Write a Grad-CAM overlay PNG per image into DIR.")
    Path heatmapDir;

    @Option(names = {"--bs", "--batch-size"}, paramLabel = "N", defaultValue = "64",
            description = "Images per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--decode-threads", paramLabel = "N",
            description = "Threads decoding images while the network runs (default: one per core).")
    Integer decodeThreads;

    @Option(names = "--threads", paramLabel = "N",
            description = "Engine threads per forward pass (default: the engine's, one per core).")
    Integer engineThreads;

    @Option(names = "--fail-on-error", description = "Exit with 1 when any file could not be classified.")
    boolean failOnError;

    @Override
    public Integer call() throws Exception {
        ResultWriter.Format outputFormat = ResultWriter.Format.parse(format);
        List<Path> files = InputFiles.expandSome(paths);
        if (heatmapDir != null && engine != EngineKind.PYTORCH) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--heatmap draws Grad-CAM maps, which need"
                    + " gradients that only the PyTorch engine computes: drop --heatmap or use --engine pytorch");
        }
        if (engineThreads != null) {
            CellClassifier.setEngineThreads(engineThreads);
        }
        ScreeningPipeline.Options options = ScreeningPipeline.Options.defaults().withBatchSize(batchSize).withTta(tta);
        if (decodeThreads != null) {
            options = options.withDecodeThreads(decodeThreads);
        }
        if (heatmapDir != null) {
            options = options.withHeatmaps(new HeatmapFolder(heatmapDir));
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Map<String, Integer> byLabel = new TreeMap<>();
        DistributionShift shift = new DistributionShift();
        int[] failed = {0};
        try (CellClassifier classifier = CellClassifier.load(model, engine)) {
            long start = System.nanoTime();
            ResultWriter writer = new ResultWriter(out, outputFormat, files, heatmapDir != null);
            writer.begin();
            boolean showProgress = files.size() > 2L * batchSize;
            // a progress bar and table rows on one terminal would overwrite each other: hold the rows back
            boolean holdRows = showProgress && System.console() != null;
            List<FileResult> held = new ArrayList<>();
            try (ProgressReporter progress = showProgress
                    ? ProgressReporter.start("predict", files.size(), "images", 1) : ProgressReporter.silent()) {
                ScreeningPipeline.run(classifier, files, options, r -> {
                    r.prediction().ifPresentOrElse(p -> {
                        shift.add(p);
                        if (p.isJudged()) {
                            byLabel.merge(p.label(), 1, Integer::sum);
                        }
                    }, () -> failed[0]++);
                    if (holdRows) {
                        held.add(r);
                    } else {
                        writer.write(r);
                    }
                    progress.step(1);
                });
            }
            held.forEach(writer::write);
            writer.end();
            double seconds = (System.nanoTime() - start) / 1e9;
            StringBuilder summary = new StringBuilder("predict: " + files.size() + " images");
            byLabel.forEach((label, n) -> summary.append(", ").append(n).append(' ').append(label));
            if (shift.notJudged() > 0) {
                summary.append(", ").append(shift.notJudged()).append(" not a cell");
            }
            summary.append(", ").append(failed[0]).append(" not readable");
            summary.append(String.format(java.util.Locale.ROOT, " (model %s%s%s, %.1f s, %.0f images/s)",
                    classifier.modelId(), tta ? ", TTA" : "",
                    engine == EngineKind.PYTORCH ? "" : ", " + engine.cliName(), seconds, files.size() / Math.max(seconds, 1e-9)));
            err.println(summary);
            shift.warning().ifPresent(w -> err.println("predict: warning: " + w));
            if (heatmapDir != null) {
                err.println("predict: heatmaps in " + heatmapDir.toAbsolutePath());
            }
            err.flush();
        }
        return failOnError && failed[0] > 0 ? 1 : 0;
    }
}
