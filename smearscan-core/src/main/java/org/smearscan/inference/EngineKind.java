package org.smearscan.inference;

import java.util.Arrays;
import java.util.Locale;

/** The runtimes a {@link CellClassifier} can run its network on. */
public enum EngineKind {
    /** PyTorch through DJL: runs .smear files; the only engine with gradients, so the only one with Grad-CAM. */
    PYTORCH("pytorch"),
    /**
     * ONNX Runtime: runs an exported .onnx file, or a .smear file: the ONNX graph stored in it, or for a file
     * without one, its network exported to ONNX on loading. Same preprocessing and decision rule; no heatmaps.
     */
    ONNXRUNTIME("onnxruntime");

    private final String cliName;

    EngineKind(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    public static EngineKind parse(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(e -> e.cliName.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown engine '" + name + "'; choose one of "
                        + Arrays.stream(values()).map(EngineKind::cliName).toList()));
    }

    @Override
    public String toString() {
        return cliName;
    }
}
