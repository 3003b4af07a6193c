package org.smearscan.field;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.smearscan.inference.CellClassifier;
import org.smearscan.inference.Prediction;
import org.smearscan.modelfile.ModelInfo;
import org.smearscan.segment.CellCrops;
import org.smearscan.segment.CellSegmenter;
import org.smearscan.segment.Segmentation;
import org.smearscan.segment.SegmentationParameters;
import org.smearscan.segment.SegmentedCell;
import org.smearscan.segment.StainNormalization;

/**
 * From a smear-field photograph to its count: segment the red cells, crop each with its mask on black,
 * classify the crops in batches, apply the border rule.
 *
 * <p>A model trained on fields ({@code train-fields}) carries the segmentation it was trained with; a model of
 * single-cell crops only (the NIH model) is applied with the default segmentation, which is how it is compared
 * with a fine-tuned one.
 */
public final class FieldScreener {
    /** A field must hold at least this many cell diameters each way; smaller images are single cells or thumbnails. */
    static final int MIN_DIAMETERS = 3;

    /**
     * Classifies a field's cell crops, answering one prediction per crop in order: the classifier itself, or a
     * service's shared queue to it (whose single worker runs the model for every request).
     */
    @FunctionalInterface
    public interface CropClassifier {
        List<Prediction> classify(List<BufferedImage> crops);
    }

    private final CellClassifier classifier;
    private final CellSegmenter segmenter;
    private final boolean normaliseStain;

    /**
     * @param normaliseStain whether crops are stain-normalised ({@link StainNormalization}), as they must be for a
     *                       model trained on normalised crops
     */
    public FieldScreener(CellClassifier classifier, SegmentationParameters parameters, boolean normaliseStain) {
        this.classifier = Objects.requireNonNull(classifier, "classifier");
        this.segmenter = new CellSegmenter(parameters);
        this.normaliseStain = normaliseStain;
    }

    /**
     * A screener segmenting and normalising as the model's training fields were, or with the default segmentation
     * and the crops as photographed for a model of single-cell crops.
     */
    public static FieldScreener of(CellClassifier classifier) {
        ModelInfo info = classifier.info();
        return info.screensFields()
                ? new FieldScreener(classifier, info.fields().segmentation(), info.fields().stainNormalized())
                : new FieldScreener(classifier, SegmentationParameters.DEFAULT, false);
    }

    public SegmentationParameters parameters() {
        return segmenter.parameters();
    }

    public CellClassifier classifier() {
        return classifier;
    }

    /**
     * Screens one field.
     *
     * @throws NotAFieldException when the image is too small to be a field of the model's optics
     */
    public FieldResult screen(String name, BufferedImage field) throws NotAFieldException {
        return screen(name, field, classifier::predictAll);
    }

    /**
     * Screens one field, its crops classified by {@code crops} (which must run this screener's classifier).
     *
     * @throws NotAFieldException when the image is too small to be a field of the model's optics
     */
    public FieldResult screen(String name, BufferedImage field, CropClassifier crops) throws NotAFieldException {
        long start = System.nanoTime();
        checkIsField(name, field);
        Segmentation segmentation = segmenter.analyse(field);
        List<SegmentedCell> cells = segmentation.cells();
        StainNormalization stain = normaliseStain ? StainNormalization.of(field, segmentation.foreground()) : null;
        List<BufferedImage> whole = new ArrayList<>();
        for (SegmentedCell cell : cells) {
            if (!cell.cut()) {
                whole.add(CellCrops.crop(field, cell, stain));
            }
        }
        // Cut cells are not counted, so they are not classified either: a half cell is no cell the model knows.
        List<Prediction> predictions = whole.isEmpty() ? List.of() : crops.classify(whole);
        if (predictions.size() != whole.size()) {
            throw new IllegalStateException(predictions.size() + " predictions for " + whole.size() + " cells");
        }
        List<CellCall> calls = new ArrayList<>(cells.size());
        int next = 0;
        for (SegmentedCell cell : cells) {
            if (cell.cut()) {
                calls.add(new CellCall(cell.box(), cell.centerX(), cell.centerY(), cell.radius(), Double.NaN, false,
                        Prediction.Status.OK, Double.NaN, true));
            } else {
                Prediction p = predictions.get(next++);
                boolean infected = p.isJudged() && p.labelIndex() == classifier.info().positiveClass();
                calls.add(new CellCall(cell.box(), cell.centerX(), cell.centerY(), cell.radius(),
                        p.parasitizedProbability(), infected, p.status(), p.oodScore(), false));
            }
        }
        return new FieldResult(name, field.getWidth(), field.getHeight(), calls, (System.nanoTime() - start) / 1e9);
    }

    private void checkIsField(String name, BufferedImage field) throws NotAFieldException {
        int least = MIN_DIAMETERS * 2 * segmenter.parameters().maxRadius();
        if (field.getWidth() < least || field.getHeight() < least) {
            throw new NotAFieldException(name + ": " + field.getWidth() + " x " + field.getHeight()
                    + " pixels is not a smear field for this model (it looks for red cells up to "
                    + 2 * segmenter.parameters().maxRadius() + " px wide, so a field is at least " + least + " x "
                    + least + "); a single-cell crop goes to predict instead");
        }
    }
}
