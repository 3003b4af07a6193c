package org.smearscan.evaluate;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.smearscan.data.CellDataset;
import org.smearscan.data.CellImage;
import org.smearscan.data.ProgressReporter;
import org.smearscan.data.UnreadableImageException;
import org.smearscan.inference.CellClassifier;
import org.smearscan.inference.EngineKind;
import org.smearscan.io.RunFolder;
import org.smearscan.modelfile.ModelFile;

/**
 * Loads a model, chooses the images (the validation side of the model's split by default), scores them
 * and measures the result: what both {@code evaluate} and {@code interpret} start with. Close it to free
 * the network.
 */
public final class EvaluationRun implements AutoCloseable {

    /**
     * @param model        the model file
     * @param data         the data set folder
     * @param splitFile    the split file; null to use the one beside the model
     * @param all          score every image of {@code data} (refused if any is a training image)
     * @param tta          also score the 8 dihedral views
     * @param settings     threshold, sensitivity target, bootstrap
     * @param batchSize    network inputs per forward pass
     * @param showProgress progress bars on stderr
     */
    /** Network inputs per forward pass (with TTA, 8 of them are one image). */
    public static final int DEFAULT_BATCH = 64;

    /** @param engine the runtime that scores the images (the network stays loaded in PyTorch for Grad-CAM) */
    public record Request(Path model, Path data, Path splitFile, boolean all, boolean tta, Evaluation.Settings settings,
            int batchSize, boolean showProgress, EngineKind engine) {

        /** A request scored by PyTorch. */
        public Request(Path model, Path data, Path splitFile, boolean all, boolean tta, Evaluation.Settings settings,
                int batchSize, boolean showProgress) {
            this(model, data, splitFile, all, tta, settings, batchSize, showProgress, EngineKind.PYTORCH);
        }

        public Request withEngine(EngineKind newEngine) {
            return new Request(model, data, splitFile, all, tta, settings, batchSize, showProgress, newEngine);
        }
    }

    private final NDManager manager;
    private final Path modelFile;
    private final ModelFile.Loaded model;
    private final EvaluationSubset subset;
    private final ModelScores scores;
    private final Evaluation evaluation;

    private EvaluationRun(NDManager manager, Path modelFile, ModelFile.Loaded model, EvaluationSubset subset,
            ModelScores scores, Evaluation evaluation) {
        this.manager = manager;
        this.modelFile = modelFile;
        this.model = model;
        this.subset = subset;
        this.scores = scores;
        this.evaluation = evaluation;
    }

    /** Runs the request; {@code warn} receives caveats meant for the user (stderr in the CLI). */
    public static EvaluationRun run(Request r, Consumer<String> warn) throws IOException, UnreadableImageException {
        if (!Files.isRegularFile(r.model())) {
            throw new IOException(r.model() + ": no such model file");
        }
        if (r.splitFile() != null && !Files.isRegularFile(r.splitFile())) {
            throw new IOException(r.splitFile() + ": no such split file");
        }
        CellDataset data = CellDataset.scan(r.data());
        NDManager manager = NDManager.newBaseManager();
        try {
            ModelFile.Loaded model = ModelFile.read(r.model(), manager);
            Path splitFile = r.splitFile() != null ? r.splitFile() : EvaluationSubset.besideModel(r.model()).orElse(null);
            if (splitFile != null) {
                EvaluationSubset.requireProvenanceMatch(splitFile, model.info());
            }
            EvaluationSubset subset;
            if (r.all()) {
                subset = EvaluationSubset.all(data, splitFile, model.info(), r.showProgress(), warn);
            } else if (splitFile == null) {
                throw new IOException("no split file beside " + r.model() + " to find its validation images; pass"
                        + " --split-file FILE, or --all to score every image of a data set the model never saw");
            } else {
                subset = EvaluationSubset.validation(data, splitFile, model.info());
            }
            List<Path> files = subset.images().stream().map(CellImage::path).toList();
            ModelScores scores;
            if (r.engine() == EngineKind.PYTORCH) {
                scores = score(CellClassifier.of(model, manager), files, r.tta(), r.batchSize(), r.showProgress());
            } else {
                try (CellClassifier other = CellClassifier.load(r.model(), r.engine())) {
                    scores = score(other, files, r.tta(), r.batchSize(), r.showProgress());
                }
            }
            Evaluation evaluation = Evaluation.of(subset.description(), subset.images(), model.info(), scores,
                    r.settings());
            return new EvaluationRun(manager, r.model(), model, subset, scores, evaluation);
        } catch (IOException | UnreadableImageException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Logits of every file; {@code batchSize} counts network inputs, so with TTA 8 of them are one image. */
    static ModelScores score(CellClassifier classifier, List<Path> files, boolean tta, int batchSize,
            boolean showProgress) throws UnreadableImageException {
        if (batchSize < CellClassifier.TTA_VIEWS) {
            throw new IllegalArgumentException("batch size must be at least " + CellClassifier.TTA_VIEWS + ", got "
                    + batchSize);
        }
        int imagesPerBatch = Math.max(1, batchSize / (tta ? CellClassifier.TTA_VIEWS : 1));
        CellClassifier.Scores scores;
        try (ProgressReporter progress = showProgress
                ? ProgressReporter.start("Scoring", files.size(), "images", 1) : ProgressReporter.silent()) {
            scores = classifier.scoresOfFiles(files, tta, imagesPerBatch, progress::step);
        }
        float[][][] views = scores.logits();
        float[][] logits = new float[views.length][];
        for (int i = 0; i < views.length; i++) {
            logits[i] = views[i][0];
        }
        return new ModelScores(logits, tta ? views : null,
                classifier.info().ood() == null ? null : scores.oodScores());
    }

    public Path modelFile() {
        return modelFile;
    }

    public ModelFile.Loaded model() {
        return model;
    }

    public EvaluationSubset subset() {
        return subset;
    }

    public ModelScores scores() {
        return scores;
    }

    public Evaluation evaluation() {
        return evaluation;
    }

    /** The manager the network lives in (for Grad-CAM). */
    public NDManager manager() {
        return manager;
    }

    /** The inputs {@link Interpretation#write} needs, with the training logs of the model's run folder. */
    public Interpretation.Inputs interpretationInputs() throws IOException {
        Path runFolder = modelFile.toAbsolutePath().getParent();
        Path config = runFolder.resolve(RunFolder.CONFIG);
        String configuration = Files.isRegularFile(config) ? Files.readString(config) : null;
        return new Interpretation.Inputs(modelFile, model.sha256(), model.net(), model.info(), subset.images(),
                scores, evaluation, TrainingHistory.read(runFolder), configuration, runFolder, manager);
    }

    @Override
    public void close() {
        manager.close();
    }
}
