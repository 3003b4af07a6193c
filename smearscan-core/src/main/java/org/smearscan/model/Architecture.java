package org.smearscan.model;

import java.util.Arrays;
import java.util.Locale;

/** The network bodies SmearScan can build from scratch. */
public enum Architecture {
    /** torchvision's resnet18: 7x7 stem, max-pool, basic blocks [2,2,2,2], widths 64-512. */
    RESNET18("resnet18", 0),
    /** torchvision's resnet34: as resnet18 with blocks [3,4,6,3]. */
    RESNET34("resnet34", 0),
    /** A narrow ResNet for 64 px crops: 3x3 stride-2 stem, no max-pool, widths 32-256. */
    COMPACT("compact", 32),
    /**
     * The compact layout at half the width (16-128): a quarter of the arithmetic, so about three times
     * as many epochs fit in the same time on a CPU.
     */
    COMPACT_SLIM("compact-slim", 16),
    /**
     * A body traced with TorchScript, loaded from a file or a pretrained download ({@link TorchScriptBody});
     * the module travels inside the model file. Not something {@link Networks#build} can make from nothing.
     */
    TORCHSCRIPT("torchscript", 0);

    private final String cliName;
    private final int compactWidth;

    Architecture(String cliName, int compactWidth) {
        this.cliName = cliName;
        this.compactWidth = compactWidth;
    }

    /** The first stage's width of a compact layout (each later stage doubles it); 0 for the others. */
    public int compactWidth() {
        return compactWidth;
    }

    public String cliName() {
        return cliName;
    }

    public static Architecture parse(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(a -> a.cliName.equals(wanted))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "unknown architecture '" + name + "'; choose one of "
                                + Arrays.stream(values()).map(Architecture::cliName).toList()));
    }

    @Override
    public String toString() {
        return cliName;
    }
}
