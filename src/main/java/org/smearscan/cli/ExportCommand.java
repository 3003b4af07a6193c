package org.smearscan.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.smearscan.io.RunFolder;
import org.smearscan.modelfile.ModelFile;
import org.smearscan.modelfile.ModelInfo;
import org.smearscan.onnx.OnnxExport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Verify a run's model (RUN_DIR/model.smear) and copy it to FILE, atomically;",
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

    @Override
    public Integer call() throws Exception {
        Path source = Files.isDirectory(run) ? run.resolve(RunFolder.MODEL) : run;
        ModelFile.Described model = format == Format.onnx
                ? OnnxExport.write(source, out, force)
                : ModelFile.export(source, out, force);
        ModelInfo info = model.info();
        spec.commandLine().getOut().printf("exported model %s (%s, %s head, %d px, classes %s, threshold %.3f,"
                        + " temperature %.3f) to %s%s%n", model.id(), info.spec().architecture(), info.spec().head(),
                info.imageSize(), info.classes(), info.threshold(), info.temperature(), out.toAbsolutePath(),
                format == Format.onnx ? " as ONNX (opset " + OnnxExport.OPSET + ")" : "");
        spec.commandLine().getOut().flush();
        return 0;
    }
}
