package org.smearscan.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.smearscan.data.SplitSpec;
import org.smearscan.inference.OodFit;
import org.smearscan.modelfile.OutOfDistribution;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "fit-ood", mixinStandardHelpOptions = true,
        description = {"Give a model its out-of-distribution score, or fit it again: the distributions of its features"
                + " and of pixel statistics over the training side of its split file, with thresholds that leave"
                + " 0.25%% each of its validation images above them. train does this itself; this is for models"
                + " trained before it did.",
            "Writes the model with the score to --out (the network is unchanged, so are its calls)."})
final class FitOodCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "The model file (*.smear).")
    Path model;

    @Parameters(index = "1", paramLabel = "DATA", description = "The data set the model was trained on.")
    Path data;

    @Option(names = "--split-file", paramLabel = "FILE", description = "The model's split file (default: split.tsv beside MODEL).")
    Path splitFile;

    @Option(names = "--out", required = true, paramLabel = "MODEL2", description = "The model file to write.")
    Path out;

    @Option(names = "--seed", defaultValue = "" + SplitSpec.DEFAULT_SEED,
            description = "Seed of the sample of training images, when there are more than "
                    + OodFit.MAX_TRAINING_IMAGES + " (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        Path split = splitFile != null ? splitFile : model.toAbsolutePath().resolveSibling("split.tsv");
        OutOfDistribution ood = OodFit.addTo(model, data, split, out, seed);
        spec.commandLine().getOut().printf(Locale.ROOT, "out-of-distribution score: %d network features, %d pixel"
                + " statistics; thresholds %.4f and %.4f (%s)%nmodel: %s%n", ood.features().dim(), ood.pixels().dim(),
                ood.features().threshold(), ood.pixels().threshold(), ood.fittedOn(), out);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
