package org.smearscan.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.smearscan.io.RunFolder;
import org.smearscan.modelfile.ModelFile;
import org.smearscan.modelfile.ModelInfo;
import org.smearscan.onnx.EmbeddedGraph;
import org.smearscan.onnx.OnnxExport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Verify a run's model (RUN_DIR/model.smear) and copy it to FILE, atomically, byte for byte"
                + " (an ONNX graph stored in it comes along); with --embed-onnx, the copy holds a freshly exported"
                + " ONNX graph, for models written without one;",
                "with --format onnx, write it as an ONNX model instead (batch norms folded, dynamic batch size,"
                        + " classes, input size, resize and normalisation in its metadata)."})
final class ExportCommand implements Callable<Integer> {
    enum Format { smear, onnx }

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "A training run's folder (or a model file).")
    Path run;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the model file.")
    Path out;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "smear",
            description = "smear (a verified copy of the model file) or onnx (an ONNX graph for any ONNX runtime)."
                    + " Default: ${DEFAULT-VALUE}.")
    Format format;

    @Option(names = "--force", description = "Replace FILE if it exists.")
    boolean force;

    @Option(names = "--embed-onnx", description = "With --format smear: store the network's ONNX graph in the copy"
            + " (replacing any it had), which --engine onnxruntime then runs without converting; the model id stays"
            + " the same. Models that train writes hold one already (except on a TorchScript body).")
    boolean embedOnnx;

    @Override
    public Integer call() throws Exception {
        if (embedOnnx && format == Format.onnx) {
            throw new ParameterException(spec.commandLine(), "--embed-onnx stores a graph in a .smear copy; with"
                    + " --format onnx the whole file is the graph already");
        }
        Path source = Files.isDirectory(run) ? run.resolve(RunFolder.MODEL) : run;
        ModelFile.Described model;
        if (format == Format.onnx) {
            model = OnnxExport.write(source, out, force);
        } else if (embedOnnx) {
            try {
                model = EmbeddedGraph.export(source, out, force);
            } catch (UnsupportedOperationException e) {
                throw new IllegalArgumentException("cannot embed an ONNX graph: " + e.getMessage(), e);
            }
        } else {
            model = ModelFile.export(source, out, force);
        }
        ModelInfo info = model.info();
        spec.commandLine().getOut().printf("exported model %s (%s, %s head, %d px, classes %s, threshold %.3f,"
                        + " temperature %.3f) to %s%s%n", model.id(), info.spec().architecture(), info.spec().head(),
                info.imageSize(), info.classes(), info.threshold(), info.temperature(), out.toAbsolutePath(),
                format == Format.onnx ? " as ONNX (opset " + OnnxExport.OPSET + ")"
                        : model.hasOnnxGraph() ? " with its ONNX graph" : "");
        spec.commandLine().getOut().flush();
        return 0;
    }
}
