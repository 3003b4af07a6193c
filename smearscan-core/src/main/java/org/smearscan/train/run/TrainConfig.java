package org.smearscan.train.run;

import java.nio.file.Path;
import org.smearscan.data.SplitSpec;

/**
 * Everything a training run is made from; saved as {@code config.json} in the run folder, which is how
 * {@code --resume} rebuilds the run.
 *
 * @param data     the data set folder
 * @param runDir   the run folder
 * @param recipe   hyper-parameters
 * @param split    how validation images are chosen (ignored when resuming: the run's split file is used)
 * @param seed     fixes shuffling, augmentation, initialisation and dropout (the split has its own seed)
 * @param backbone where the body comes from
 * @param cacheDir where decoded images are cached (null for the default)
 * @param workers  threads that decode images when the cache is built
 */
public record TrainConfig(Path data, Path runDir, Recipe recipe, SplitSpec split, long seed, Backbone backbone,
        Path cacheDir, int workers) {

    public TrainConfig {
        data = data.toAbsolutePath().normalize();
        runDir = runDir.toAbsolutePath().normalize();
        cacheDir = cacheDir == null ? null : cacheDir.toAbsolutePath().normalize();
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, got " + workers);
        }
    }
}
