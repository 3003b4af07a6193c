package org.smearscan.onnx;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.smearscan.data.Normalization;
import org.smearscan.data.ResizeMethod;
import org.smearscan.model.Architecture;
import org.smearscan.model.HeadType;
import org.smearscan.model.ModelSpec;
import org.smearscan.modelfile.FieldSettings;
import org.smearscan.modelfile.ModelFile;
import org.smearscan.modelfile.ModelInfo;
import org.smearscan.modelfile.Provenance;

/**
 * The {@code metadata_props} of an exported ONNX model: what a runtime needs to prepare an image and read the
 * answer, so the file describes itself. Lists are JSON arrays, numbers plain decimals.
 *
 * <pre>
 * classes             ["Parasitized","Uninfected"]   index = column of the logits
 * positive_class      0                              the class the threshold applies to
 * input_size          64                             the input is (batch, 3, input_size, input_size)
 * resize              squish | crop | pad            how a crop becomes that square
 * normalization_mean  [0.485,0.456,0.406]            input = (rgb / 255 - mean) / std, per channel
 * normalization_std   [0.229,0.224,0.225]
 * threshold           0.5                            P(positive) at or above it: positive
 * temperature         1.0                            probabilities = softmax(logits / temperature)
 * </pre>
 *
 * Also {@code architecture}, {@code head}, {@code model_id} and {@code model_sha256} of the SmearScan model it
 * came from, and {@code input_layout}; for a model trained on smear fields, {@code field_settings} (JSON: how
 * {@code screen} must segment and crop fields for it).
 */
public final class OnnxMetadata {
    public static final String CLASSES = "classes";
    public static final String POSITIVE_CLASS = "positive_class";
    public static final String INPUT_SIZE = "input_size";
    public static final String INPUT_LAYOUT = "input_layout";
    public static final String RESIZE = "resize";
    public static final String NORMALIZATION_MEAN = "normalization_mean";
    public static final String NORMALIZATION_STD = "normalization_std";
    public static final String THRESHOLD = "threshold";
    public static final String TEMPERATURE = "temperature";
    public static final String ARCHITECTURE = "architecture";
    public static final String HEAD = "head";
    public static final String MODEL_ID = "model_id";
    public static final String MODEL_SHA256 = "model_sha256";
    public static final String FIELD_SETTINGS = "field_settings";

    private static final ObjectMapper JSON = new ObjectMapper();

    private OnnxMetadata() {}

    /** The metadata of a model, in a stable order. */
    public static Map<String, String> of(ModelInfo info, String sha256) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(CLASSES, json(info.classes()));
        m.put(POSITIVE_CLASS, Integer.toString(info.positiveClass()));
        m.put(INPUT_SIZE, Integer.toString(info.imageSize()));
        m.put(INPUT_LAYOUT, "NCHW float32, RGB");
        m.put(RESIZE, info.resize().name().toLowerCase(Locale.ROOT));
        m.put(NORMALIZATION_MEAN, json(info.normalization().mean()));
        m.put(NORMALIZATION_STD, json(info.normalization().std()));
        m.put(THRESHOLD, Double.toString(info.threshold()));
        m.put(TEMPERATURE, Double.toString(info.temperature()));
        m.put(ARCHITECTURE, info.spec().architecture().cliName());
        m.put(HEAD, info.spec().head().name().toLowerCase(Locale.ROOT));
        if (sha256 != null) {
            m.put(MODEL_ID, ModelFile.idOf(sha256));
            m.put(MODEL_SHA256, sha256);
        }
        if (info.fields() != null) {
            m.put(FIELD_SETTINGS, json(info.fields()));
        }
        return m;
    }

    /**
     * The model description that {@link #of} wrote (without metrics and provenance, which the file does not
     * carry). Fails with an {@link IllegalArgumentException} naming the first key that is missing or wrong.
     */
    public static ModelInfo toInfo(Map<String, String> m) {
        List<String> classes = read(m, CLASSES, v -> JSON.readValue(v, new TypeReference<List<String>>() {}));
        int positive = read(m, POSITIVE_CLASS, Integer::parseInt);
        int size = read(m, INPUT_SIZE, Integer::parseInt);
        ResizeMethod resize = read(m, RESIZE, v -> ResizeMethod.valueOf(v.toUpperCase(Locale.ROOT)));
        float[] mean = read(m, NORMALIZATION_MEAN, v -> JSON.readValue(v, float[].class));
        float[] std = read(m, NORMALIZATION_STD, v -> JSON.readValue(v, float[].class));
        double threshold = read(m, THRESHOLD, Double::parseDouble);
        double temperature = read(m, TEMPERATURE, Double::parseDouble);
        Architecture architecture = read(m, ARCHITECTURE, Architecture::parse);
        HeadType head = read(m, HEAD, v -> HeadType.valueOf(v.toUpperCase(Locale.ROOT)));
        FieldSettings fields = m.containsKey(FIELD_SETTINGS)
                ? read(m, FIELD_SETTINGS, v -> JSON.readValue(v, FieldSettings.class)) : null;
        try {
            return new ModelInfo(new ModelSpec(architecture, head, classes.size()), classes, positive, size, resize,
                    new Normalization(mean, std), threshold, temperature, Map.of(), Provenance.NONE)
                    .withFields(fields);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("its metadata describe no usable model: " + e.getMessage(), e);
        }
    }

    private interface Parser<T> {
        T parse(String value) throws Exception;
    }

    private static <T> T read(Map<String, String> m, String key, Parser<T> parser) {
        String value = m.get(key);
        if (value == null) {
            throw new IllegalArgumentException("its metadata lack '" + key + "' (not exported by SmearScan?)");
        }
        try {
            return parser.parse(value.trim());
        } catch (Exception e) {
            throw new IllegalArgumentException("its metadata '" + key + "' = '" + value + "' is not valid: "
                    + e.getMessage(), e);
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("lists of strings and numbers always serialise", e);
        }
    }
}
