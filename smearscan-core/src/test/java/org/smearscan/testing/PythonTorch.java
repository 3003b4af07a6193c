package org.smearscan.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's python3-torch, for tests that need a real TorchScript network made by PyTorch itself. Such tests
 * skip, saying why, where it is missing; .ci/run installs it.
 */
public final class PythonTorch {
    private static final List<String> CANDIDATES = List.of("/usr/bin/python3", "python3");

    private PythonTorch() {}

    /** The first Python that imports torch and torchvision, or a skipped test. */
    public static String requirePython() {
        Optional<String> found = CANDIDATES.stream().filter(PythonTorch::hasTorch).findFirst();
        Assumptions.assumeTrue(found.isPresent(),
                "skipped: needs python3 with torch and torchvision (apt-get install python3-torch python3-torchvision)");
        return found.get();
    }

    /** Runs scripts/export_torchvision_body.py: a torchvision body, randomly initialised, as TorchScript. */
    public static Path exportTorchvisionBody(String arch, Path out) throws IOException, InterruptedException {
        String python = requirePython();
        Process p = new ProcessBuilder(python, RepositoryPaths.script("export_torchvision_body.py").toString(), "--arch", arch, "--out", out.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("export finished").isTrue();
        assertThat(p.exitValue()).as(log).isZero();
        assertThat(Files.size(out)).as(log).isPositive();
        return out;
    }

    private static boolean hasTorch(String python) {
        try {
            Process p = new ProcessBuilder(python, "-c", "import torch, torchvision").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
