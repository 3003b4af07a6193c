package org.smearscan.train.run;

import static org.smearscan.io.RunFolder.CHECKPOINT;
import static org.smearscan.io.RunFolder.CONFIG;
import static org.smearscan.io.RunFolder.LR_FIND_CSV;
import static org.smearscan.io.RunFolder.LR_FIND_PLOT;
import static org.smearscan.io.RunFolder.MODEL;
import static org.smearscan.io.RunFolder.SPLIT;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.smearscan.data.Batches;
import org.smearscan.data.CellDataset;
import org.smearscan.data.CellImage;
import org.smearscan.data.HostBatch;
import org.smearscan.data.ImageCache;
import org.smearscan.data.Normalization;
import org.smearscan.data.SmearscanHome;
import org.smearscan.data.Split;
import org.smearscan.data.SplitFile;
import org.smearscan.inference.CellClassifier;
import org.smearscan.inference.OodFit;
import org.smearscan.io.AtomicFiles;
import org.smearscan.model.Architecture;
import org.smearscan.model.CellNet;
import org.smearscan.model.HeadType;
import org.smearscan.model.ModelSpec;
import org.smearscan.model.Networks;
import org.smearscan.model.TorchScriptBody;
import org.smearscan.modelfile.ModelFile;
import org.smearscan.modelfile.ModelInfo;
import org.smearscan.modelfile.OutOfDistribution;
import org.smearscan.modelfile.Provenance;
import org.smearscan.onnx.EmbeddedGraph;
import org.smearscan.train.BatchSource;
import org.smearscan.train.Callback;
import org.smearscan.train.Initialization;
import org.smearscan.train.Learner;
import org.smearscan.train.LearningRates;
import org.smearscan.train.Metric;
import org.smearscan.train.callback.EpochRecord;
import org.smearscan.train.callback.LrFinder;
import org.smearscan.train.callback.MixUp;
import org.smearscan.train.callback.PreciseBatchNorm;
import org.smearscan.train.callback.ProgressDisplay;
import org.smearscan.train.schedule.OneCycle;

/**
 * A training run from a data folder to a model file: scan and split the data, cache the decoded images,
 * build the network, run the plan (a first phase, then optional fine-tuning) and write the run folder:
 * <ul>
 *   <li>{@code config.json}: the {@link TrainConfig}, which {@link #resume} rebuilds the run from</li>
 *   <li>{@code split.tsv}: which images trained and which validated</li>
 *   <li>{@code model.smear}: the best epoch's model with its metrics and provenance, and its network as an
 *   ONNX graph for ONNX Runtime (except for a TorchScript body, which cannot be exported)</li>
 *   <li>{@code history.csv}, {@code history.json}, {@code loss.png}, {@code schedule.png}</li>
 *   <li>{@code checkpoint.zip}, {@code best-weights.bin}: what resuming needs</li>
 * </ul>
 * Input normalisation is ImageNet's, for every body, so pretrained and from-scratch models prepare images
 * alike.
 */
public final class TrainingRun {
    static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * A finished run.
     *
     * @param runDir    the run folder
     * @param modelFile the best model
     * @param result    history and best epoch
     * @param info      what the model file says about the model
     */
    public record Outcome(Path runDir, Path modelFile, PlanRunner.Result result, ModelInfo info) {}

    private TrainingRun() {}

    /**
     * Starts a new run in {@code config.runDir()}, which must not hold a run that trained an epoch already
     * (a folder left by a start that failed before its first epoch is reused).
     */
    public static Outcome train(TrainConfig config, ProgressDisplay.Mode progress, PrintStream out) throws IOException {
        return train(config, progress, out, List.of());
    }

    /** As {@link #train(TrainConfig, ProgressDisplay.Mode, PrintStream)}, with callbacks of the caller's (to watch or stop the run). */
    public static Outcome train(TrainConfig config, ProgressDisplay.Mode progress, PrintStream out, List<Callback> extra)
            throws IOException {
        Path runDir = config.runDir();
        if (Files.exists(runDir.resolve(CHECKPOINT))) {
            throw new IOException(runDir + " already holds a run; continue it with --resume " + runDir
                    + " or choose another --out");
        }
        Files.createDirectories(runDir);
        AtomicFiles.write(runDir.resolve(CONFIG), JSON.writeValueAsBytes(config));
        return run(config, progress, out, false, extra);
    }

    /**
     * Continues a run that was stopped, from its last completed epoch, to the result it would have had.
     * A run stopped before its first epoch ended starts over (same seed, same split).
     */
    public static Outcome resume(Path runDir, ProgressDisplay.Mode progress, PrintStream out) throws IOException {
        return resume(runDir, progress, out, List.of());
    }

    /** As {@link #resume(Path, ProgressDisplay.Mode, PrintStream)}, with callbacks of the caller's. */
    public static Outcome resume(Path runDir, ProgressDisplay.Mode progress, PrintStream out, List<Callback> extra)
            throws IOException {
        TrainConfig saved = readConfig(runDir);
        // the folder may have moved since the run started
        TrainConfig config = new TrainConfig(saved.data(), runDir, saved.recipe(), saved.split(), saved.seed(),
                saved.backbone(), saved.cacheDir(), saved.workers());
        return run(config, progress, out, Files.exists(runDir.resolve(CHECKPOINT)), extra);
    }

    public static TrainConfig readConfig(Path runDir) throws IOException {
        Path file = runDir.resolve(CONFIG);
        if (!Files.isRegularFile(file)) {
            throw new IOException(runDir + " is not a run folder (it has no " + CONFIG + ")");
        }
        try {
            return JSON.readValue(file.toFile(), TrainConfig.class);
        } catch (IOException e) {
            throw new IOException(file + ": not a readable run configuration: " + e.getMessage(), e);
        }
    }

    /**
     * fastai's lr_find on the run's data and model (a pretrained body frozen, as for the first phase):
     * writes {@code lr_find.png} and {@code lr_find.csv} into {@code config.runDir()}.
     */
    public static LrFinder.Result lrFind(TrainConfig config, LrFinder finder, PrintStream out) throws IOException {
        Files.createDirectories(config.runDir());
        try (Session session = Session.open(config, out, false)) {
            if (config.backbone().isPretrained()) {
                session.learner.freeze();
            }
            session.learner.addCallback(new ProgressDisplay(ProgressDisplay.Mode.AUTO, out));
            LrFinder.Result result = finder.run(session.learner);
            TrainingCharts.lrFinder(config.runDir().resolve(LR_FIND_PLOT), result);
            StringBuilder csv = new StringBuilder("lr,smooth_loss\n");
            for (int i = 0; i < result.learningRates().length; i++) {
                csv.append(String.format(Locale.ROOT, "%.6e,%.6f%n", result.learningRates()[i], result.smoothLosses()[i]));
            }
            AtomicFiles.writeString(config.runDir().resolve(LR_FIND_CSV), csv.toString());
            return result;
        }
    }

    /** The run's phases: the first (body frozen when pretrained), then fine-tuning if asked for. */
    public static List<Phase> plan(TrainConfig config) {
        Recipe r = config.recipe();
        List<Phase> phases = new ArrayList<>();
        OneCycle policy = OneCycle.of(r.lr().high()).withPctStart(r.pctStart());
        phases.add(new Phase("fit", r.epochs(), r.lr(), config.backbone().isPretrained(), policy));
        if (r.fineTuneEpochs() > 0) {
            LearningRates fine = r.effectiveFineTuneLr();
            phases.add(new Phase("fine-tune", r.fineTuneEpochs(), fine, false, policy.withMaxLr(fine.high())));
        }
        return phases;
    }

    private static Outcome run(TrainConfig config, ProgressDisplay.Mode progress, PrintStream out, boolean resume,
            List<Callback> extra) throws IOException {
        try (Session session = Session.open(config, out, resume)) {
            extra.forEach(session.learner::addCallback);
            PlanRunner.Result result = PlanRunner.run(session.learner, plan(config), config.runDir(),
                    new PlanRunner.Options(config.recipe().monitor(), config.recipe().patience(), progress, out),
                    resume);
            ModelInfo info = session.modelInfo(result);
            Path modelFile = config.runDir().resolve(MODEL);
            EmbeddedGraph.Written written = EmbeddedGraph.writeModelFile(modelFile, session.net, info);
            if (!written.embedded()) {
                out.println("note: " + modelFile + " holds no ONNX graph (" + written.notEmbedded() + ")");
            }
            // The model is safe on disk before this step, which reads every image again.
            out.println("fitting the out-of-distribution score on the training images' features");
            OutOfDistribution ood;
            try (CellClassifier classifier = CellClassifier.load(modelFile)) {
                ood = OodFit.fit(classifier, session.split.train(), session.split.valid(), config.seed());
            }
            info = info.withOod(ood);
            EmbeddedGraph.rewrite(modelFile, modelFile, info);
            return new Outcome(config.runDir(), modelFile, result, info);
        }
    }

    /** The data, network and learner of a run, closed together. */
    private static final class Session implements AutoCloseable {
        final TrainConfig config;
        final CellDataset dataset;
        final Split split;
        final String splitFingerprint;
        final NDManager manager;
        final CellNet net;
        final Learner learner;
        final int positiveClass;
        final String backboneSha256;

        private Session(TrainConfig config, CellDataset dataset, Split split, String splitFingerprint,
                NDManager manager, CellNet net, Learner learner, int positiveClass, String backboneSha256) {
            this.config = config;
            this.dataset = dataset;
            this.split = split;
            this.splitFingerprint = splitFingerprint;
            this.manager = manager;
            this.net = net;
            this.learner = learner;
            this.positiveClass = positiveClass;
            this.backboneSha256 = backboneSha256;
        }

        static Session open(TrainConfig config, PrintStream out, boolean resume) throws IOException {
            Recipe recipe = config.recipe();
            CellDataset dataset = CellDataset.scan(config.data());
            Path splitPath = config.runDir().resolve(SPLIT);
            Split split;
            if (resume) {
                SplitFile splitFile = SplitFile.read(splitPath);
                if (!splitFile.matches(dataset)) {
                    throw new IOException(config.data() + " changed since the run started (its fingerprint differs "
                            + "from the split file's); resuming would not continue the same run");
                }
                split = splitFile.resolve(dataset);
            } else {
                split = config.split().apply(dataset);
                if (config.runDir() != null) {
                    SplitFile.write(splitPath, split, dataset);
                }
            }
            if (split.train().isEmpty() || split.valid().isEmpty()) {
                throw new IOException("the split of " + config.data() + " leaves " + split.train().size()
                        + " training and " + split.valid().size() + " validation images; both sides need images");
            }
            String splitFingerprint = Files.isRegularFile(splitPath) ? SplitFile.fingerprint(splitPath) : "";
            ImageCache cache = ImageCache.builder(dataset.images(), dataset.fileStamp())
                    .size(recipe.size()).method(recipe.resize())
                    .cacheDir(config.cacheDir() != null ? config.cacheDir() : SmearscanHome.cacheDir())
                    .threads(config.workers())
                    .open();
            if (!cache.unreadable().isEmpty()) {
                out.printf("note: %d unreadable images left out, e.g. %s%n", cache.unreadable().size(),
                        cache.unreadable().get(0).image().path());
            }
            int positiveClass = positiveClass(dataset.classes());
            int[] trainSlots = cache.slotsOf(withRepeats(split.train(), positiveClass, recipe.positiveRepeats()));
            int[] validSlots = cache.slotsOf(split.valid());
            if (trainSlots.length < recipe.batchSize()) {
                throw new IOException("only " + trainSlots.length + " training images for batches of "
                        + recipe.batchSize() + "; lower --bs");
            }
            Batches train = Batches.builder(cache, trainSlots).batchSize(recipe.batchSize())
                    .normalization(Normalization.IMAGENET).dihedral(recipe.dihedral())
                    .jitter((float) recipe.lighting(), (float) recipe.lighting()).stain((float) recipe.stain())
                    .seed(config.seed()).build();
            Batches valid = Batches.validation(cache, validSlots, recipe.batchSize(), Normalization.IMAGENET);

            NDManager manager = NDManager.newBaseManager();
            try {
                String backboneSha = "";
                CellNet net;
                ModelSpec spec;
                boolean initialise = true;
                if (config.backbone().kind() == Backbone.Kind.BUILT) {
                    spec = new ModelSpec(recipe.arch(), HeadType.FASTAI, dataset.classes().size());
                    net = Networks.build(spec);
                } else if (config.backbone().kind() == Backbone.Kind.MODEL) {
                    ModelFile.Loaded base = baseModel(Path.of(config.backbone().source()), dataset.classes(), manager);
                    net = base.net();
                    spec = net.spec();
                    backboneSha = base.sha256();
                    initialise = false; // its weights are the starting point
                } else {
                    Path file = config.backbone().kind() == Backbone.Kind.FILE
                            ? Path.of(config.backbone().source())
                            : PretrainedBackbone.fetch(config.backbone().source()).file();
                    backboneSha = PretrainedBackbone.sha256(file);
                    spec = new ModelSpec(Architecture.TORCHSCRIPT, HeadType.FASTAI, dataset.classes().size());
                    net = Networks.withBody(spec, TorchScriptBody.load(file, manager));
                }
                if (initialise) {
                    Initialization.initialize(net, manager, recipe.size(), config.seed());
                }
                Learner.Builder learnerBuilder = Learner.builder(net, manager)
                        .train(source(train)).valid(source(valid))
                        .seed(config.seed()).metrics(Metric.defaults(positiveClass)).weightDecay(recipe.weightDecay())
                        .optimizer(recipe.optimizer().factory());
                if (recipe.mixup() > 0) {
                    learnerBuilder.callback(new MixUp(recipe.mixup()));
                }
                if (recipe.preciseBn() > 0) {
                    learnerBuilder.callback(new PreciseBatchNorm(recipe.preciseBn()));
                }
                Learner learner = learnerBuilder.build();
                return new Session(config, dataset, split, splitFingerprint, manager, net, learner, positiveClass,
                        backboneSha);
            } catch (RuntimeException | IOException e) {
                manager.close();
                throw e;
            }
        }

        ModelInfo modelInfo(PlanRunner.Result result) throws IOException {
            Map<String, Double> metrics = new LinkedHashMap<>();
            EpochRecord best = result.history().stream().filter(r -> r.epoch() == result.bestEpoch()).findFirst()
                    .orElse(result.history().isEmpty() ? null : result.history().get(result.history().size() - 1));
            if (best != null) {
                metrics.put("epoch", (double) best.epoch());
                metrics.put("valid_loss", best.validLoss());
                metrics.put("accuracy", best.accuracy());
                metrics.put("error_rate", best.errorRate());
                metrics.put("auc", best.auc());
            }
            Provenance provenance = new Provenance(config.data().toString(), dataset.fingerprint(), splitFingerprint,
                    split.description(), config.seed(), new ObjectMapper().writeValueAsString(config),
                    config.backbone().kind() == Backbone.Kind.BUILT ? config.recipe().arch().cliName()
                            : config.backbone().source(),
                    backboneSha256.isEmpty() ? null : backboneSha256, Instant.now().toString(),
                    Map.of(), Map.of()); // writing the model file adds the software versions
            return new ModelInfo(net.spec(), dataset.classes(), positiveClass, config.recipe().size(),
                    config.recipe().resize(), Normalization.IMAGENET, 0.5, 1.0, metrics, provenance);
        }

        @Override
        public void close() {
            learner.close();
            manager.close();
        }
    }

    /** The training images with each image of the positive class {@code repeats} times. */
    static List<CellImage> withRepeats(List<CellImage> train, int positiveClass, int repeats) {
        if (repeats <= 1) {
            return train;
        }
        List<CellImage> out = new ArrayList<>(train);
        for (CellImage image : train) {
            if (image.label() == positiveClass) {
                for (int i = 1; i < repeats; i++) {
                    out.add(image);
                }
            }
        }
        return out;
    }

    /** A trained model to go on training: its classes must be the data's, in the same order. */
    private static ModelFile.Loaded baseModel(Path file, List<String> classes, NDManager manager) throws IOException {
        ModelFile.Loaded base = ModelFile.read(file, manager);
        if (!base.info().classes().equals(classes)) {
            throw new IOException("the base model " + file + " tells " + base.info().classes() + " apart, the data "
                    + classes + "; a base model must have the data's classes");
        }
        // Loaded weights are plain arrays: a network trained from them needs their gradients switched on, as
        // initialising a new network does (running statistics of batch norm take none).
        for (var named : base.net().network().getParameters()) {
            if (named.getValue().requiresGradient()) {
                named.getValue().getArray().setRequiresGradient(true);
            }
        }
        return base;
    }

    /** The class a screening looks for: Parasitized when present, else the first class. */
    static int positiveClass(List<String> classes) {
        for (int i = 0; i < classes.size(); i++) {
            if (classes.get(i).equalsIgnoreCase("Parasitized")) {
                return i;
            }
        }
        return 0;
    }

    /** Adapts the data layer's batches to what a learner reads. */
    public static BatchSource source(Batches batches) {
        return new BatchSource() {
            @Override
            public Iterator<HostBatch> epoch(int epoch) {
                return batches.epoch(epoch);
            }

            @Override
            public int batchesPerEpoch() {
                return batches.batchesPerEpoch();
            }

            @Override
            public int imageCount() {
                return batches.imageCount();
            }
        };
    }
}
