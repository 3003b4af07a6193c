package org.smearscan.testing;

import java.nio.file.Path;

/**
 * Paths outside this module that tests read. Maven runs a module's tests in the module's folder, one below the
 * repository root; the developers' data lies beside the repository, in {@code ../shared/data} from its root.
 */
public final class RepositoryPaths {
    /** The repository root. */
    public static final Path ROOT = Path.of("..");
    /** The developers' copy of the data ({@code cell_images}, {@code smear_fields}), when present. */
    public static final Path SHARED_DATA = ROOT.resolve("..").resolve("shared").resolve("data");

    private RepositoryPaths() {}

    /** A script under the repository's {@code scripts/} folder. */
    public static Path script(String name) {
        return ROOT.resolve("scripts").resolve(name);
    }
}
