package org.smearscan.spark;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The columns of the job's outputs. One row per image in {@code cells}: its path as Spark lists it, the donor
 * its file name names (as the data layer reads NIH names), the call and its probabilities, the threshold and
 * the model, the out-of-distribution score and status ({@code ok}, or {@code not_a_cell} with no label), or, for
 * an image that could not be classified, only the error. One row per donor in
 * {@code donors}.
 */
public final class CellResults {
    public static final String PATH = "path";
    public static final String DONOR = "donor";
    public static final String LABEL = "label";
    public static final String PROBABILITY = "probability";
    public static final String PARASITIZED_PROBABILITY = "parasitized_probability";
    public static final String THRESHOLD = "threshold";
    public static final String MODEL_ID = "model_id";
    public static final String OOD_SCORE = "ood_score";
    public static final String STATUS = "status";
    public static final String ERROR = "error";

    /** Per image. */
    public static final StructType CELLS = new StructType()
            .add(PATH, DataTypes.StringType, false)
            .add(DONOR, DataTypes.StringType, false)
            .add(LABEL, DataTypes.StringType, true)
            .add(PROBABILITY, DataTypes.DoubleType, true)
            .add(PARASITIZED_PROBABILITY, DataTypes.DoubleType, true)
            .add(THRESHOLD, DataTypes.DoubleType, true)
            .add(MODEL_ID, DataTypes.StringType, false)
            .add(OOD_SCORE, DataTypes.DoubleType, true)
            .add(STATUS, DataTypes.StringType, true)
            .add(ERROR, DataTypes.StringType, true);

    /**
     * Per donor: images classified (those the model could judge), those called infected, the share with its 95%
     * Wilson interval, and the images it could not judge ({@code not_a_cell}) or read.
     */
    public static final StructType DONORS = new StructType()
            .add(DONOR, DataTypes.StringType, false)
            .add("images", DataTypes.LongType, false)
            .add("infected", DataTypes.LongType, false)
            .add("share_infected", DataTypes.DoubleType, true)
            .add("share_low", DataTypes.DoubleType, true)
            .add("share_high", DataTypes.DoubleType, true)
            .add("not_a_cell", DataTypes.LongType, false)
            .add("errors", DataTypes.LongType, false)
            .add(MODEL_ID, DataTypes.StringType, false);

    private CellResults() {}
}
