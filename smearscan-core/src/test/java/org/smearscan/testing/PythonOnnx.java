package org.smearscan.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's python3-onnx as an independent reader of exported models: {@code onnx.checker.check_model} with
 * full shape inference. Tests that use it skip, saying why, where {@code import onnx} fails; .ci/run installs it.
 */
public final class PythonOnnx {
    private static final String PYTHON = "/usr/bin/python3";
    private static final String CHECK = String.join("\n",
            "import sys, onnx",
            "m = onnx.load(sys.argv[1])",
            "onnx.checker.check_model(m, full_check=True)",
            "print('ok ir', m.ir_version, 'opset', m.opset_import[0].version, 'nodes', len(m.graph.node))");
    private static Boolean available;

    private PythonOnnx() {}

    /** Skips the calling test unless {@code python3 -c 'import onnx'} works. */
    public static void assumeAvailable() {
        Assumptions.assumeTrue(available(),
                "skipped: needs python3 with the onnx package to check exported models (apt-get install python3-onnx)");
    }

    /**
     * Runs the ONNX checker on a model file; returns its report line, or the checker's error text with a
     * non-zero status in {@link Result#ok()}.
     */
    public static Result check(Path model) throws IOException, InterruptedException {
        assumeAvailable();
        Process p = new ProcessBuilder(PYTHON, "-c", CHECK, model.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(false, "the ONNX checker did not finish in 120 s\n" + log);
        }
        return new Result(p.exitValue() == 0, log.trim());
    }

    public record Result(boolean ok, String log) {}

    private static synchronized boolean available() {
        if (available == null) {
            try {
                Process p = new ProcessBuilder(PYTHON, "-c", "import onnx").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                available = p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
            } catch (IOException e) {
                available = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                available = false;
            }
        }
        return available;
    }
}
