package org.smearscan.bench.inference;

import org.smearscan.model.Architecture;
import org.smearscan.model.HeadType;
import org.smearscan.model.ModelSpec;
import picocli.CommandLine.Option;

/** The network a benchmark builds when it times no model file of its own: architecture, head, input size. */
final class NetworkOptions {
    @Option(names = "--arch", defaultValue = "compact-slim", paramLabel = "ARCH",
            description = "compact-slim, compact, resnet18 or resnet34 (default: ${DEFAULT-VALUE}).")
    String arch;

    @Option(names = "--head", defaultValue = "fastai", paramLabel = "HEAD",
            description = "fastai or linear (default: ${DEFAULT-VALUE}).")
    HeadType head;

    @Option(names = "--size", defaultValue = "64", paramLabel = "PX", description = "Input size (default: ${DEFAULT-VALUE}).")
    int size;

    /** The two-class network these options name. */
    ModelSpec spec() {
        return new ModelSpec(Architecture.parse(arch), head, 2);
    }
}
