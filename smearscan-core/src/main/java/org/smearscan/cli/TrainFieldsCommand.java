package org.smearscan.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.smearscan.data.SplitSpec;
import org.smearscan.model.Architecture;
import org.smearscan.train.LearningRates;
import org.smearscan.train.Metric;
import org.smearscan.train.callback.ProgressDisplay;
import org.smearscan.train.run.Recipe;
import org.smearscan.workflow.FieldTraining;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "train-fields", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a cell classifier on a lab's own annotated smear fields and write RUN_DIR/model.smear,",
            "which screen and evaluate-fields use with the segmentation it was trained with.",
            "Fields are split by field; infected cells are repeated in training and the threshold is the best",
            "infected F1 on the validation fields. Rerun the same command to continue a stopped run."})
final class TrainFieldsCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FIELDS_DIR", description = "Folder of field photographs.")
    Path fieldsDir;

    @Option(names = "--annotations", paramLabel = "FILE", required = true,
            description = "Boxes and classes of the fields' red cells (IML-Malaria's annotations.json format).")
    Path annotations;

    @Option(names = "--out", paramLabel = "RUN_DIR", description = "Run folder (default: runs/fields-<date-time>).")
    Path out;

    @Option(names = "--base", paramLabel = "MODEL",
            description = "Start from this model (e.g. the NIH-trained one) instead of a new network.")
    Path base;

    @Option(names = "--exclude", paramLabel = "NAMES",
            description = "Fields to leave out (held-out test fields): a file with one name per line, or names separated by commas.")
    String exclude;

    @Option(names = "--valid-fraction", paramLabel = "P", defaultValue = "0.2",
            description = "Share of the fields that validate (default: ${DEFAULT-VALUE}).")
    double validFraction;

    @Option(names = "--seed", defaultValue = "" + SplitSpec.DEFAULT_SEED,
            description = "Fixes the field split and the training (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--arch", paramLabel = "NAME", description = "Network of a new model (default: the train default).")
    String arch;

    @Option(names = "--size", paramLabel = "N", description = "Crop side in pixels (default: the train default, or the base model's).")
    Integer size;

    @Option(names = "--epochs", paramLabel = "N", description = "One-cycle epochs (default: the train default).")
    Integer epochs;

    @Option(names = "--lr", paramLabel = "X", description = "Peak learning rate (default: the train default; 1e-3 from --base).")
    String lr;

    @Option(names = "--bs", paramLabel = "N", description = "Batch size (default: the train default).")
    Integer batchSize;

    @Option(names = "--monitor", paramLabel = "METRIC", defaultValue = "auc",
            description = "Metric that picks the best epoch (default: ${DEFAULT-VALUE}: with 2% infected cells, accuracy "
                    + "at the training threshold says little; the threshold is chosen afterwards).")
    String monitor;

    @Option(names = "--positive-repeats", paramLabel = "N",
            description = "Times each infected training cell is seen per epoch (default: about a fifth of each batch infected).")
    Integer positiveRepeats;

    @Option(names = "--stain-normalize",
            description = "Normalise each field's cell colours before training and screening (slides of other stains).")
    boolean stainNormalize;

    @Option(names = "--max-shared", paramLabel = "S",
            description = "Drop a found circle lying more than this share inside stronger ones (default: 0.7, for smears "
                    + "where cells stack; 0.5 where they rarely overlap by more than a fifth, as in composed fields).")
    Double maxShared;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "2", description = "Image-decoding threads (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--threads", paramLabel = "N", description = "PyTorch compute threads (default: all cores).")
    Integer threads;

    @Override
    public Integer call() throws Exception {
        PrintStream stdout = new PrintStream(new TrainCommand.WriterOutputStream(spec.commandLine().getOut()), true);
        if (threads != null) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        }
        if (base != null && !Files.isRegularFile(base)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--base " + base + ": no such model file");
        }
        Path runDir = out != null ? out : TrainCommand.defaultRunDir("fields");
        Set<String> given = FieldNames.parse(exclude);
        Set<String> leftOut = given == null ? Set.of() : given;
        Recipe recipe = recipe();
        FieldTraining.Options options = TrainCommand.DataModelOptions.parse(spec, () -> new FieldTraining.Options(
                fieldsDir, annotations, runDir, base, leftOut, validFraction, seed, recipe, workers, stainNormalize,
                maxShared == null ? 0 : maxShared));
        stdout.println("training in " + runDir);
        FieldTraining.Outcome outcome = FieldTraining.run(options, ProgressDisplay.Mode.AUTO, stdout);
        stdout.printf(Locale.ROOT, "model: %s (threshold %.4f, %d training and %d validation fields)%n",
                outcome.modelFile(), outcome.threshold(), outcome.trainingFields().size(),
                outcome.validationFields().size());
        return 0;
    }

    private Recipe recipe() {
        Recipe.Builder r = Recipe.DEFAULT.toBuilder();
        if (arch != null) {
            r.arch(TrainCommand.DataModelOptions.parse(spec, () -> Architecture.parse(arch)));
        }
        if (size != null) {
            r.size(size);
        }
        if (epochs != null) {
            r.epochs(epochs);
        }
        if (lr != null) {
            r.lr(TrainCommand.DataModelOptions.lr(spec, lr, "--lr"));
        } else if (base != null) {
            r.lr(LearningRates.single(1e-3)); // the base is trained already: a smaller step keeps what it knows
        }
        if (batchSize != null) {
            r.batchSize(batchSize);
        }
        r.monitor(TrainCommand.DataModelOptions.parse(spec, () -> Metric.parse(monitor)));
        if (positiveRepeats != null) {
            r.positiveRepeats(positiveRepeats);
        }
        return TrainCommand.DataModelOptions.parse(spec, r::build);
    }
}
