package org.smearscan.workflow;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import javax.imageio.ImageIO;
import org.smearscan.data.ImageDecoding;
import org.smearscan.data.SplitSpec;
import org.smearscan.data.UnreadableImageException;
import org.smearscan.field.AnnotatedCrops;
import org.smearscan.field.truth.AnnotatedCell;
import org.smearscan.field.truth.FieldAnnotations;
import org.smearscan.inference.CellClassifier;
import org.smearscan.inference.FileResult;
import org.smearscan.io.AtomicFiles;
import org.smearscan.io.RunFolder;
import org.smearscan.modelfile.FieldSettings;
import org.smearscan.modelfile.ModelInfo;
import org.smearscan.onnx.EmbeddedGraph;
import org.smearscan.segment.CellSegmenter;
import org.smearscan.segment.SegmentationParameters;
import org.smearscan.train.callback.ProgressDisplay;
import org.smearscan.train.run.Backbone;
import org.smearscan.train.run.Recipe;
import org.smearscan.train.run.TrainConfig;
import org.smearscan.train.run.TrainingRun;

/**
 * {@code train-fields}: a cell classifier for a lab's own smear fields, from its annotated photographs.
 *
 * <ol>
 *   <li>Fields are split by field, never by cell (cells of one field look alike): validation fields choose the
 *       best epoch and the threshold; fields named in {@code exclude} (the held-out test fields) take no part.</li>
 *   <li>The annotated cells are cropped as screening crops cells ({@link AnnotatedCrops}) into
 *       {@code RUN_DIR/crops/{train,valid}/{Parasitized,Uninfected}}, a pre-split data set the ordinary training
 *       run reads. The crops are written once; a rerun after a kill reuses them.</li>
 *   <li>Infected cells are ~2% of a field. Each infected training crop is seen {@code positiveRepeats} times per
 *       epoch (each time in another random flip or turn), so that a batch holds some; and the threshold is the one
 *       that maximises the infected F1 on the validation fields' cells, since counting needs few false calls far
 *       more than a balanced accuracy.</li>
 *   <li>On request, each crop's colours are normalised per field ({@link org.smearscan.segment.StainNormalization}):
 *       slides are stained from pale mauve to deep magenta. Off by default: on the IML-Malaria validation fields it
 *       gave an infected F1 of 0.857 against 0.912 without (BENCHMARKS.md).</li>
 *   <li>The model file is then given the segmentation it was trained with and the names of its fields.</li>
 * </ol>
 */
public final class FieldTraining {
    static final String CROPS = "crops";
    static final String CROPS_DONE = "crops.json";
    static final String POSITIVE = "Parasitized";
    static final String NEGATIVE = "Uninfected";

    /**
     * What {@code train-fields} was asked for.
     *
     * @param fieldsDir     the field photographs
     * @param annotations   their annotations ({@code annotations.json})
     * @param runDir        the run folder
     * @param base          a model to start from ({@code null}: a new network)
     * @param exclude       field names to leave out altogether (held-out test fields)
     * @param validFraction share of the remaining fields that validate
     * @param seed          fixes the field split and the training
     * @param recipe        training hyper-parameters; {@code positiveRepeats} 0 picks it from the data
     * @param workers       image-decoding threads
     * @param normaliseStain whether crops are stain-normalised per field (and must then be when screening)
     * @param maxShared     the segmentation's overlap rule ({@link SegmentationParameters#maxShared}); 0 keeps the
     *                      default
     */
    public record Options(Path fieldsDir, Path annotations, Path runDir, Path base, Set<String> exclude,
            double validFraction, long seed, Recipe recipe, int workers, boolean normaliseStain, double maxShared) {
        public Options {
            if (!(validFraction > 0 && validFraction < 1)) {
                throw new IllegalArgumentException("the validation share of fields must lie in (0, 1), got " + validFraction);
            }
            exclude = Set.copyOf(exclude);
        }
    }

    /** What the run produced. */
    public record Outcome(Path modelFile, List<String> trainingFields, List<String> validationFields,
            CropCounts crops, double threshold, ModelInfo info) {}

    /** Crops written per side and class. */
    public record CropCounts(int trainInfected, int trainUninfected, int validInfected, int validUninfected,
            int cutFromBoxes) {}

    private FieldTraining() {}

    public static Outcome run(Options options, ProgressDisplay.Mode progress, PrintStream out) throws IOException {
        FieldAnnotations annotations = FieldAnnotations.read(options.annotations());
        List<String> fields = fieldsPresent(options, annotations, out);
        List<String> shuffled = new ArrayList<>(fields);
        Collections.shuffle(shuffled, new Random(options.seed()));
        int nValid = Math.max(1, (int) Math.round(options.validFraction() * fields.size()));
        if (fields.size() - nValid < 1) {
            throw new IOException("only " + fields.size() + " annotated fields in " + options.fieldsDir()
                    + " after exclusions; training needs at least two (one to train, one to validate)");
        }
        List<String> valid = sorted(shuffled.subList(0, nValid));
        List<String> train = sorted(shuffled.subList(nValid, shuffled.size()));
        out.printf(Locale.ROOT, "%d fields: %d train, %d validate, %d left out%n", fields.size(), train.size(),
                valid.size(), options.exclude().size());

        SegmentationParameters segmentation = SegmentationParameters.forCellWidth(medianBoxWidth(annotations, fields));
        if (options.maxShared() > 0) {
            segmentation = segmentation.withMaxShared(options.maxShared());
        }
        Path crops = options.runDir().resolve(CROPS);
        CropCounts counts = cropOnce(options, annotations, segmentation, train, valid, crops, out);
        if (counts.trainInfected() == 0 || counts.validInfected() == 0) {
            throw new IOException("the training fields hold " + counts.trainInfected() + " and the validation fields "
                    + counts.validInfected() + " infected cells; both need some (try another --seed or more fields)");
        }

        Recipe recipe = options.recipe();
        if (recipe.positiveRepeats() <= 1) {
            // About one infected cell in five per batch: enough to learn from, not so many that they are memorised.
            int repeats = Math.max(1, (int) Math.round(counts.trainUninfected() / (4.0 * counts.trainInfected())));
            recipe = recipe.toBuilder().positiveRepeats(repeats).build();
        }
        out.printf(Locale.ROOT, "each infected training cell is seen %d times per epoch%n", recipe.positiveRepeats());

        Path modelFile = options.runDir().resolve(RunFolder.MODEL);
        TrainConfig config = new TrainConfig(crops, options.runDir(), recipe,
                SplitSpec.of(SplitSpec.Method.FOLDERS, SplitSpec.DEFAULT_VALID_PCT, options.seed()), options.seed(),
                options.base() == null ? Backbone.BUILT : Backbone.model(options.base()), null, options.workers());
        if (Files.exists(options.runDir().resolve(RunFolder.CHECKPOINT))) {
            out.println("continuing the training run in " + options.runDir());
            TrainingRun.resume(options.runDir(), progress, out);
        } else {
            TrainingRun.train(config, progress, out);
        }

        double threshold = ValidationThreshold.bestF1(validationScores(modelFile, crops.resolve("valid")));
        ModelInfo info;
        try (CellClassifier classifier = CellClassifier.load(modelFile)) {
            info = classifier.info().withThreshold(threshold)
                    .withFields(new FieldSettings(segmentation, train, valid, options.normaliseStain()));
        }
        EmbeddedGraph.rewrite(modelFile, modelFile, info);
        out.printf(Locale.ROOT, "threshold %.4f (best infected F1 on the validation fields' cells)%n", threshold);
        return new Outcome(modelFile, train, valid, counts, threshold, info);
    }

    private static List<String> fieldsPresent(Options options, FieldAnnotations annotations, PrintStream out)
            throws IOException {
        if (!Files.isDirectory(options.fieldsDir())) {
            throw new IOException(options.fieldsDir() + " is not a folder of field photographs");
        }
        List<String> present = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String name : annotations.imageNames()) {
            if (options.exclude().contains(name)) {
                continue;
            }
            if (Files.isRegularFile(options.fieldsDir().resolve(name))) {
                present.add(name);
            } else {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            out.printf("note: %d annotated fields are not in %s and are left out, e.g. %s%n", missing.size(),
                    options.fieldsDir(), missing.get(0));
        }
        for (String name : options.exclude()) {
            if (!annotations.has(name)) {
                throw new IOException("--exclude names " + name + ", which " + options.annotations() + " does not annotate");
            }
        }
        return present;
    }

    /** The fields' typical cell width, which scales the segmentation to the lab's optics. */
    static double medianBoxWidth(FieldAnnotations annotations, List<String> fields) {
        List<Integer> widths = new ArrayList<>();
        for (String name : fields) {
            for (AnnotatedCell cell : annotations.cells(name)) {
                widths.add(cell.box().w());
            }
        }
        if (widths.isEmpty()) {
            return SegmentationParameters.DEFAULT_CELL_WIDTH;
        }
        Collections.sort(widths);
        return widths.get(widths.size() / 2);
    }

    private static CropCounts cropOnce(Options options, FieldAnnotations annotations,
            SegmentationParameters segmentation, List<String> train, List<String> valid, Path crops, PrintStream out)
            throws IOException {
        ObjectMapper json = new ObjectMapper();
        Path done = options.runDir().resolve(CROPS_DONE);
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("train", train);
        key.put("valid", valid);
        key.put("segmentation", segmentation);
        key.put("stainNormalized", options.normaliseStain());
        key.put("annotations", options.annotations().toAbsolutePath().toString());
        if (Files.isRegularFile(done)) {
            Map<?, ?> saved = json.readValue(done.toFile(), Map.class);
            if (json.valueToTree(key).equals(json.valueToTree(saved.get("key")))) {
                out.println("reusing the crops in " + crops);
                return json.convertValue(saved.get("counts"), CropCounts.class);
            }
            throw new IOException(options.runDir() + " holds crops of other fields or settings; choose another --out");
        }
        CellSegmenter segmenter = new CellSegmenter(segmentation);
        int[] n = new int[5];
        List<String> all = new ArrayList<>(train);
        all.addAll(valid);
        int done1 = 0;
        for (String name : all) {
            String side = valid.contains(name) ? "valid" : "train";
            Path file = options.fieldsDir().resolve(name);
            BufferedImage field;
            try {
                field = ImageDecoding.read(file);
            } catch (UnreadableImageException e) {
                throw new IOException("cannot train on " + file + ": " + e.getMessage(), e);
            }
            List<AnnotatedCell> cells = annotations.cellsWithin(name, field.getWidth(), field.getHeight());
            List<AnnotatedCrops.LabelledCrop> labelled = AnnotatedCrops.of(field, segmenter.analyse(field), cells,
                    options.normaliseStain());
            String stem = name.replaceFirst("\\.[^.]*$", "");
            int i = 0;
            for (AnnotatedCrops.LabelledCrop crop : labelled) {
                boolean infected = crop.cell().type().isInfected();
                Path target = crops.resolve(side).resolve(infected ? POSITIVE : NEGATIVE)
                        .resolve(String.format(Locale.ROOT, "%s-%03d.png", stem, i++));
                Files.createDirectories(target.getParent());
                ImageIO.write(crop.crop(), "png", target.toFile());
                n[(side.equals("valid") ? 2 : 0) + (infected ? 0 : 1)]++;
                if (!crop.segmented()) {
                    n[4]++;
                }
            }
            done1++;
            if (done1 % 10 == 0 || done1 == all.size()) {
                out.printf("cropped %d of %d fields%n", done1, all.size());
            }
        }
        CropCounts counts = new CropCounts(n[0], n[1], n[2], n[3], n[4]);
        out.printf(Locale.ROOT, "crops: train %d infected + %d uninfected, validation %d + %d (%d cut from boxes the "
                + "segmentation missed)%n", n[0], n[1], n[2], n[3], n[4]);
        AtomicFiles.write(done, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(Map.of("key", key, "counts", counts)));
        return counts;
    }

    /** The validation crops' probabilities of being infected, with their labels. */
    private static ValidationThreshold.Scored validationScores(Path modelFile, Path validCrops) throws IOException {
        List<Path> files = new ArrayList<>();
        List<Boolean> infected = new ArrayList<>();
        for (String label : List.of(POSITIVE, NEGATIVE)) {
            try (var stream = Files.list(validCrops.resolve(label))) {
                for (Path p : stream.sorted().toList()) {
                    files.add(p);
                    infected.add(label.equals(POSITIVE));
                }
            }
        }
        try (CellClassifier classifier = CellClassifier.load(modelFile)) {
            List<FileResult> results = classifier.predictFiles(files, false);
            double[] p = new double[files.size()];
            boolean[] y = new boolean[files.size()];
            for (int i = 0; i < p.length; i++) {
                FileResult r = results.get(i);
                if (r.prediction().isEmpty()) {
                    throw new IOException("cannot score the validation crop " + files.get(i) + ": "
                            + r.error().orElse("no prediction"));
                }
                p[i] = r.prediction().get().parasitizedProbability();
                y[i] = infected.get(i);
            }
            return new ValidationThreshold.Scored(p, y);
        }
    }

    private static List<String> sorted(List<String> names) {
        List<String> out = new ArrayList<>(names);
        Collections.sort(out);
        return out;
    }
}
