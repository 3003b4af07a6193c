package org.smearscan.workflow;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.smearscan.data.ImageDecoding;
import org.smearscan.data.UnreadableImageException;
import org.smearscan.field.CellCall;
import org.smearscan.field.FieldResult;
import org.smearscan.field.FieldScreener;
import org.smearscan.field.NotAFieldException;
import org.smearscan.field.truth.CompleteTruthScores;
import org.smearscan.field.truth.DetectedCell;
import org.smearscan.field.truth.FieldAnnotations;
import org.smearscan.field.truth.FieldScores;
import org.smearscan.field.truth.ScoredField;
import org.smearscan.inference.CellClassifier;
import org.smearscan.inference.Prediction;
import org.smearscan.modelfile.FieldSettings;

/**
 * {@code evaluate-fields}: screens annotated fields as {@code screen} does and scores the result against the
 * boxes ({@link FieldScores}); on composed fields, where every cell is known, also detection precision and the
 * exact parasitemia error ({@link CompleteTruthScores}).
 */
public final class FieldEvaluationRun {

    /**
     * @param model         the model file
     * @param fieldsDir     the field photographs
     * @param annotations   their annotations
     * @param only          the fields to score ({@code null}: every annotated field in the folder)
     * @param completeTruth whether every cell of the fields is annotated (composed fields)
     */
    public record Options(Path model, Path fieldsDir, Path annotations, Set<String> only, boolean completeTruth) {}

    /**
     * @param scores          the figures against the boxes
     * @param complete        the figures that need every cell known, or {@code null}
     * @param seenInTraining  scored fields the model was trained or validated on (their figures flatter it)
     * @param results         the screened fields, in order
     */
    public record Result(FieldScores scores, CompleteTruthScores complete, List<String> seenInTraining,
            List<FieldResult> results) {}

    private FieldEvaluationRun() {}

    public static Result run(Options options, PrintStream progress) throws IOException {
        FieldAnnotations annotations = FieldAnnotations.read(options.annotations());
        List<String> names = new ArrayList<>();
        for (String name : annotations.imageNames()) {
            if (options.only() == null || options.only().contains(name)) {
                names.add(name);
            }
        }
        if (options.only() != null) {
            for (String name : options.only()) {
                if (!annotations.has(name)) {
                    throw new IOException(options.annotations() + " does not annotate " + name);
                }
            }
        }
        List<ScoredField> scored = new ArrayList<>();
        List<FieldResult> results = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        try (CellClassifier classifier = CellClassifier.load(options.model())) {
            FieldScreener screener = FieldScreener.of(classifier);
            FieldSettings settings = classifier.info().fields();
            for (String name : names) {
                Path file = options.fieldsDir().resolve(name);
                if (!Files.isRegularFile(file)) {
                    throw new IOException("the annotated field " + name + " is not in " + options.fieldsDir());
                }
                long start = System.nanoTime();
                FieldResult result;
                try {
                    BufferedImage field = ImageDecoding.read(file);
                    result = screener.screen(name, field);
                } catch (UnreadableImageException | NotAFieldException e) {
                    throw new IOException("cannot score " + file + ": " + e.getMessage(), e);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                results.add(result);
                scored.add(new ScoredField(name, result.width(), result.height(), detections(result),
                        annotations.cellsWithin(name, result.width(), result.height()), seconds));
                if (settings != null && (settings.trainingFields().contains(name) || settings.validationFields().contains(name))) {
                    seen.add(name);
                }
                if (scored.size() % 10 == 0 || scored.size() == names.size()) {
                    progress.printf("scored %d of %d fields%n", scored.size(), names.size());
                }
            }
        }
        if (scored.isEmpty()) {
            throw new IOException("no annotated field to score in " + options.fieldsDir());
        }
        return new Result(FieldScores.score(scored), options.completeTruth() ? CompleteTruthScores.score(scored) : null,
                seen, results);
    }

    /**
     * The cells screening counts or shows as cut: a crop the classifier will not judge (a white cell, debris) is no
     * red cell found. Cut cells are kept, so that the scoring's own border rule decides about them.
     */
    static List<DetectedCell> detections(FieldResult result) {
        List<DetectedCell> out = new ArrayList<>();
        for (CellCall cell : result.cells()) {
            if (cell.status() == Prediction.Status.NOT_A_CELL) {
                continue;
            }
            double p = Double.isNaN(cell.parasitizedProbability()) ? 0 : cell.parasitizedProbability();
            out.add(new DetectedCell(cell.box(), p, cell.infected()));
        }
        return out;
    }
}
