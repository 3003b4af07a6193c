package org.smearscan.evaluate;

import java.io.IOException;
import java.nio.file.Path;

/** Run folders for the CLI tests in another package. */
public final class CliFixtures {
    private CliFixtures() {}

    /** {data folder, model file} of a fresh run folder with an untrained compact model. */
    public static Path[] run(Path dir, int perClass) throws IOException {
        RunFixtures.Run run = RunFixtures.create(dir, perClass);
        return new Path[] {run.data(), run.model()};
    }
}
