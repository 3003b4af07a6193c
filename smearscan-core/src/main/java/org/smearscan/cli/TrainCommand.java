package org.smearscan.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.smearscan.data.ResizeMethod;
import org.smearscan.data.SplitSpec;
import org.smearscan.model.Architecture;
import org.smearscan.train.LearningRates;
import org.smearscan.train.Metric;
import org.smearscan.train.OptimizerKind;
import org.smearscan.train.callback.EpochRecord;
import org.smearscan.train.callback.ProgressDisplay;
import org.smearscan.train.run.Backbone;
import org.smearscan.train.run.PretrainedBackbone;
import org.smearscan.train.run.Recipe;
import org.smearscan.train.run.TrainConfig;
import org.smearscan.train.run.TrainingRun;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        resourceBundle = "org.smearscan.cli.RecipeDefaults",
        description = {"Train a classifier (fastai's one-cycle recipe; see Recipe.DEFAULT for the defaults).",
            "With only DATA it trains the default recipe: ${bundle:default.arch} net, ${bundle:default.size} px, batch"
                + " ${bundle:default.bs}, ${bundle:default.optimizer} one-cycle at ${bundle:default.lr},"
                + " ${bundle:default.epochs} epochs, dihedral augmentation, donor-level split, best epoch by"
                + " ${bundle:default.monitor}."})
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    DataModelOptions options;

    @Mixin
    PhaseOptions phases;

    @Option(names = "--out", paramLabel = "RUN_DIR", description = "Run folder (default: runs/<date-time>).")
    Path out;

    @Option(names = "--resume", paramLabel = "RUN_DIR",
            description = "Continue a stopped run from its last completed epoch (other options come from the run).")
    Path resume;

    @Override
    public Integer call() throws Exception {
        PrintStream stdout = new PrintStream(new WriterOutputStream(spec.commandLine().getOut()), true);
        TrainingRun.Outcome outcome;
        if (resume != null) {
            if (options.data != null) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--resume takes the data and options of the run; give no DATA with it");
            }
            options.applyThreads();
            outcome = TrainingRun.resume(resume, ProgressDisplay.Mode.AUTO, stdout);
        } else {
            TrainConfig config = options.config(spec, recipe(), out != null ? out : defaultRunDir("run"));
            options.applyThreads();
            stdout.println("training in " + config.runDir());
            outcome = TrainingRun.train(config, ProgressDisplay.Mode.AUTO, stdout);
        }
        EpochRecord best = outcome.result().history().stream()
                .filter(r -> r.epoch() == outcome.result().bestEpoch()).findFirst().orElse(null);
        if (best != null) {
            stdout.printf(Locale.ROOT, "best epoch %d of %d: accuracy %.4f, valid_loss %.4f, auc %.4f%n", best.epoch(),
                    outcome.result().history().size(), best.accuracy(), best.validLoss(), best.auc());
        }
        stdout.println("model: " + outcome.modelFile());
        stdout.flush();
        return 0;
    }

    private Recipe recipe() {
        return phases.recipe(spec, options);
    }

    static Path defaultRunDir(String prefix) {
        return Path.of("runs", prefix + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }

    /** The options of the training phases, which {@code train} and {@code cv} share. */
    static final class PhaseOptions {
        @Option(names = "--epochs", paramLabel = "N", description = "One-cycle epochs of the first phase (default ${bundle:default.epochs}).")
        Integer epochs;

        @Option(names = "--fine-tune", paramLabel = "EPOCHS",
                description = "Then unfreeze and train EPOCHS more with discriminative rates (the tutorial's second phase).")
        Integer fineTune;

        @Option(names = "--fine-tune-lr", paramLabel = "A:B",
                description = "Rates of the fine-tuning phase, first layers to head (default: lr/200:lr/2, fastai's fine_tune).")
        String fineTuneLr;

        @Option(names = "--monitor", paramLabel = "METRIC",
                description = "Metric that picks the best epoch: accuracy, valid_loss, auc, error_rate (default ${bundle:default.monitor}).")
        String monitor;

        @Option(names = "--patience", paramLabel = "N", description = "Stop a phase after N epochs without improvement (default: never).")
        Integer patience;

        /** The recipe of the data and model options with these phases. */
        Recipe recipe(CommandLine.Model.CommandSpec spec, DataModelOptions options) {
            Recipe.Builder r = options.recipeBuilder(spec);
            if (epochs != null) {
                r.epochs(epochs);
            }
            if (fineTune != null || fineTuneLr != null) {
                r.fineTune(fineTune != null ? fineTune : Recipe.DEFAULT.fineTuneEpochs(),
                        fineTuneLr != null ? DataModelOptions.lr(spec, fineTuneLr, "--fine-tune-lr") : null);
            }
            if (monitor != null) {
                r.monitor(DataModelOptions.parse(spec, () -> Metric.parse(monitor)));
            }
            if (patience != null) {
                r.patience(patience);
            }
            return DataModelOptions.parse(spec, r::build);
        }
    }

    /** The data and model options that {@code train} and {@code lr-find} share. */
    static final class DataModelOptions {
        @Parameters(index = "0", arity = "0..1", paramLabel = "DATA",
                description = "Folder with one sub-folder per class (or train/ and valid/).")
        Path data;

        @Option(names = "--arch", paramLabel = "NAME", description = "resnet18, resnet34, compact or compact-slim (default ${bundle:default.arch}).")
        String arch;

        @Option(names = "--size", paramLabel = "N", description = "Image side in pixels (default ${bundle:default.size}).")
        Integer size;

        @Option(names = "--bs", paramLabel = "N", description = "Batch size (default ${bundle:default.bs}).")
        Integer batchSize;

        @Option(names = "--lr", paramLabel = "X|A:B",
                description = "Peak learning rate, or a range spread from the first layers to the head (default ${bundle:default.lr}).")
        String lr;

        @Option(names = "--wd", paramLabel = "X", description = "Decoupled weight decay (default ${bundle:default.wd}).")
        Double weightDecay;

        @Option(names = "--pct-start", paramLabel = "P", description = "Share of a phase spent warming up (default ${bundle:default.pct-start}).")
        Double pctStart;

        @Option(names = "--optimizer", paramLabel = "NAME", description = "adamw or sgd (default ${bundle:default.optimizer}).")
        String optimizer;

        @Option(names = "--no-dihedral", description = "Train without random flips and quarter turns.")
        boolean noDihedral;

        @Option(names = "--resize", paramLabel = "METHOD", description = "squish, crop or pad (default ${bundle:default.resize}).")
        String resize;

        @Option(names = "--lighting", paramLabel = "X",
                description = "fastai's lighting augmentation: random brightness and contrast of up to X per image (default: none).")
        Double lighting;

        @Option(names = "--stain", paramLabel = "X",
                description = "Colour (stain) augmentation: each channel of a training image scaled by its own random factor in 1±X, "
                        + "as another staining batch or white balance would (default: none; at most 0.3).")
        Double stain;

        @Option(names = "--mixup", paramLabel = "ALPHA",
                description = "mixup: each training batch blended with itself in another order, the labels' losses weighted "
                        + "alike; ALPHA shapes the blend (fastai: 0.4; default: none).")
        Double mixup;

        @Option(names = "--precise-bn", paramLabel = "N",
                description = "At the end of each epoch, before it is validated, set every BatchNorm's statistics to their "
                        + "average over N training batches instead of training's running average "
                        + "(default ${bundle:default.precise-bn}; 0 keeps the running average).")
        Integer preciseBn;

        @Option(names = "--split", paramLabel = "METHOD", defaultValue = "donor",
                description = "random, donor or folders (default: ${DEFAULT-VALUE}).")
        String split;

        @Option(names = "--valid-pct", paramLabel = "P", defaultValue = "" + SplitSpec.DEFAULT_VALID_PCT,
                description = "Share of images held out (default: ${DEFAULT-VALUE}).")
        double validPct;

        @Option(names = "--folds", paramLabel = "K", defaultValue = "0", description = "Donor-level k-fold: number of folds.")
        int folds;

        @Option(names = "--fold", paramLabel = "k", defaultValue = "1", description = "With --folds: the fold held out, 1..K.")
        int fold;

        @Option(names = "--seed", defaultValue = "" + SplitSpec.DEFAULT_SEED,
                description = "Fixes split, shuffling, augmentation and initial weights (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--train-seed", paramLabel = "N",
                description = "Fixes shuffling, augmentation and initial weights only, keeping the split of --seed: "
                        + "another model on the same donors (default: --seed).")
        Long trainSeed;

        @Option(names = "--backbone", paramLabel = "FILE",
                description = "A TorchScript body (a traced network without pooling and classifier); its body starts frozen.")
        Path backbone;

        @Option(names = "--pretrained", paramLabel = "NAME",
                description = "Download pretrained weights: imagenet (resnet18, through DJL's model zoo; needs a network).")
        String pretrained;

        @Option(names = "--pretrained-url", paramLabel = "URL",
                description = "Download a TorchScript body from this address instead (an archive holding one .pt, or djl://...).")
        String pretrainedUrl;

        @Option(names = "--workers", paramLabel = "N", defaultValue = "2",
                description = "Threads that decode images when the cache is built (default: ${DEFAULT-VALUE}).")
        int workers;

        @Option(names = "--threads", paramLabel = "N", description = "PyTorch compute threads (default: all cores).")
        Integer threads;

        @Option(names = "--cache-dir", paramLabel = "DIR",
                description = "Decoded-image cache (default: $SMEARSCAN_HOME/cache, else ~/.smearscan/cache).")
        Path cacheDir;

        /** The default recipe with this command line's options applied; checked when it is built. */
        Recipe.Builder recipeBuilder(CommandLine.Model.CommandSpec spec) {
            Recipe.Builder r = Recipe.DEFAULT.toBuilder();
            if (arch != null) {
                Architecture a = parse(spec, () -> Architecture.parse(arch));
                if (a == Architecture.TORCHSCRIPT) {
                    throw new CommandLine.ParameterException(spec.commandLine(),
                            "--arch torchscript is what --backbone FILE gives; pass the file with --backbone");
                }
                r.arch(a);
            }
            if (size != null) {
                r.size(size);
            }
            if (batchSize != null) {
                r.batchSize(batchSize);
            }
            if (lr != null) {
                r.lr(lr(spec, lr, "--lr"));
            }
            if (weightDecay != null) {
                r.weightDecay(weightDecay);
            }
            if (pctStart != null) {
                r.pctStart(pctStart);
            }
            if (optimizer != null) {
                r.optimizer(parse(spec, () -> OptimizerKind.parse(optimizer)));
            }
            if (noDihedral) {
                r.dihedral(false);
            }
            if (resize != null) {
                r.resize(parse(spec, () -> ResizeMethod.valueOf(resize.toUpperCase(Locale.ROOT))));
            }
            if (lighting != null) {
                r.lighting(lighting);
            }
            if (stain != null) {
                r.stain(stain);
            }
            if (mixup != null) {
                r.mixup(mixup);
            }
            if (preciseBn != null) {
                r.preciseBn(preciseBn);
            }
            return r;
        }

        Recipe recipe(CommandLine.Model.CommandSpec spec) {
            return parse(spec, recipeBuilder(spec)::build);
        }

        TrainConfig config(CommandLine.Model.CommandSpec spec, Recipe recipe, Path runDir) {
            if (data == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "give the DATA folder");
            }
            int chosen = (backbone != null ? 1 : 0) + (pretrained != null ? 1 : 0) + (pretrainedUrl != null ? 1 : 0);
            if (chosen > 1) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "choose one of --backbone, --pretrained and --pretrained-url");
            }
            Backbone body = Backbone.BUILT;
            if (backbone != null) {
                body = Backbone.file(backbone);
            } else if (pretrainedUrl != null) {
                body = Backbone.pretrained(pretrainedUrl);
            } else if (pretrained != null) {
                Architecture a = arch != null ? recipe.arch() : Architecture.RESNET18;
                body = Backbone.pretrained(parse(spec, () -> PretrainedBackbone.urlFor(pretrained, a)));
            }
            SplitSpec splitSpec = parse(spec, () -> new SplitSpec(SplitSpec.Method.parse(split), validPct, seed, folds,
                    folds > 0 ? fold : 0));
            return new TrainConfig(data, runDir, recipe, splitSpec, trainSeed != null ? trainSeed : seed, body, cacheDir,
                    workers);
        }

        /** Must run before the engine starts, which reads the thread count once. */
        void applyThreads() {
            if (threads != null) {
                System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
            }
        }

        static LearningRates lr(CommandLine.Model.CommandSpec spec, String text, String option) {
            try {
                return LearningRates.parse(text);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), option + ": " + e.getMessage());
            }
        }

        static <T> T parse(CommandLine.Model.CommandSpec spec, java.util.function.Supplier<T> parser) {
            try {
                return parser.get();
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
        }

    }

    /** Lets the library's PrintStream output reach picocli's writer (which tests capture). */
    static final class WriterOutputStream extends java.io.OutputStream {
        private final java.io.PrintWriter writer;

        WriterOutputStream(java.io.PrintWriter writer) {
            this.writer = writer;
        }

        @Override
        public void write(int b) {
            writer.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            writer.write(new String(b, off, len, java.nio.charset.StandardCharsets.UTF_8));
        }

        @Override
        public void flush() {
            writer.flush();
        }
    }
}
