package org.smearscan.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.smearscan.field.FieldBatch;
import org.smearscan.field.FieldScreener;
import org.smearscan.field.ScreenRun;
import org.smearscan.field.ScreenedFile;
import org.smearscan.field.SlideGrouping;
import org.smearscan.field.SlideResult;
import org.smearscan.field.report.FieldTables;
import org.smearscan.field.report.ScreenFolder;
import org.smearscan.inference.CellClassifier;
import org.smearscan.inference.DistributionShift;
import org.smearscan.inference.EngineKind;
import org.smearscan.predict.InputFiles;
import org.smearscan.predict.ResultWriter;
import org.smearscan.segment.SegmentationParameters;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "screen", mixinStandardHelpOptions = true,
        description = {"Screen photographs of thin-smear fields: find the red cells, classify each, and count"
                + " per field and per slide the cells, the infected ones, the parasitemia with its 95%% interval"
                + " and what is not a cell.",
            "Without --slide-from-folder each field is its own slide (fields are never pooled unless they are"
                    + " said to belong together); with it, the fields of one folder are one slide and are summed.",
            "An unreadable file or an image that is no field (too small, a single-cell crop) is listed with its"
                    + " reason and the others are still screened; the exit code is then still 0 (use"
                    + " --fail-on-error for 1), and 1 when no field at all could be screened. Results go to"
                    + " stdout, progress and the summary to stderr."},
        footer = {"", "--out DIR (new or empty) receives fields.csv, slides.csv, cells.csv, screen.json (as"
                + " --format json prints), overlays/<field>.png (each cell outlined by its call: infected red with"
                + " its probability, uninfected green, not a cell grey dashed, cut by the edge thin grey),"
                + " gallery/ (a crop of every cell called infected) and report.html (per slide: counts,"
                + " parasitemia, its fields, and the infected cells most probable first, to confirm by eye)."})
final class ScreenCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL",
            description = "Model file (*.smear; with --engine onnxruntime also an exported *.onnx).")
    Path model;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "IMAGES",
            description = "Field photographs: files, folders (searched recursively for images) or quoted globs.")
    List<String> paths;

    @Option(names = "--slide-from-folder",
            description = "One folder is one slide (named after it): its fields' counts are summed.")
    boolean slideFromFolder;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Write tables, overlays, the infected-cell gallery and report.html into DIR (new or empty).")
    Path outDir;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "table, csv (one row per field) or json (fields and slides) (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "pytorch", converter = EngineOption.class,
            description = EngineOption.DESCRIPTION)
    EngineKind engine;

    @Option(names = "--fail-on-error", description = "Exit with 1 when any file could not be screened.")
    boolean failOnError;

    @Override
    public Integer call() throws Exception {
        ResultWriter.Format outputFormat = ResultWriter.Format.parse(format);
        List<Path> files = InputFiles.expandSome(paths);
        // before the model is loaded and the fields screened, which can take a while
        ScreenFolder folder = outDir != null ? ScreenFolder.create(outDir) : null;
        SlideGrouping grouping = slideFromFolder ? SlideGrouping.FOLDER : SlideGrouping.FIELD;
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ScreenRun run;
        long start = System.nanoTime();
        try (CellClassifier classifier = CellClassifier.load(model, engine)) {
            FieldScreener screener = FieldScreener.of(classifier);
            if (!classifier.info().screensFields()) {
                err.println("screen: note: " + classifier.modelId() + " was trained on single-cell crops; cells are"
                        + " found with the default segmentation, made for fields whose red cells are about "
                        + Math.round(SegmentationParameters.DEFAULT_CELL_WIDTH) + " px wide");
            }
            int[] done = {0};
            run = new FieldBatch(screener, grouping).run(files, (file, image) -> {
                err.println("screen: [" + ++done[0] + "/" + files.size() + "] " + describe(file));
                err.flush();
                if (folder != null) {
                    folder.accept(file, image);
                }
            });
        }
        if (folder != null) {
            folder.finish(run);
        }
        FieldTables tables = folder != null ? FieldTables.withOverlays(run, folder.overlays()) : FieldTables.of(run);
        switch (outputFormat) {
            case TABLE -> out.print(tables.table());
            case CSV -> out.print(tables.fieldsCsv());
            case JSON -> out.print(tables.json());
            default -> throw new IllegalStateException("unhandled format " + outputFormat);
        }
        out.flush();
        summary(err, run, (System.nanoTime() - start) / 1e9);
        if (folder != null) {
            err.println("screen: report in " + folder.dir().resolve(ScreenFolder.REPORT).toAbsolutePath());
        }
        err.flush();
        boolean nothing = run.screened().isEmpty();
        return nothing || failOnError && !run.problems().isEmpty() ? 1 : 0;
    }

    private static String describe(ScreenedFile file) {
        if (!file.isScreened()) {
            return "not screened: " + file.error();
        }
        return String.format(Locale.ROOT, "%s: %d cells, %d infected (%.1f s)", file.name(),
                file.result().countedCells(), file.result().infectedCells(), file.result().seconds());
    }

    private static void summary(PrintWriter err, ScreenRun run, double seconds) {
        List<SlideResult> slides = run.slides();
        int cells = slides.stream().mapToInt(SlideResult::countedCells).sum();
        int infected = slides.stream().mapToInt(SlideResult::infectedCells).sum();
        int notACell = slides.stream().mapToInt(SlideResult::notACell).sum();
        err.printf(Locale.ROOT, "screen: %d images, %d screened, %d not screened; %d %s; %d cells, %d infected,"
                        + " %d not a cell (model %s, %.1f s)%n", run.files().size(), run.screened().size(),
                run.problems().size(), slides.size(), slides.size() == 1 ? "slide" : "slides", cells, infected,
                notACell, run.modelId(), seconds);
        if (run.screened().isEmpty()) {
            err.println("screen: no field could be screened");
        }
        DistributionShift.warning(notACell, cells + notACell, "cells found in the fields")
                .ifPresent(w -> err.println("screen: warning: " + w));
    }
}
