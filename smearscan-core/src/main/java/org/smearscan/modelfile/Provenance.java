package org.smearscan.modelfile;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a model came from, as Tribuo keeps it: one typed record, set when the model is trained and written
 * once into its file. The software versions are filled in by {@link ModelFile#write}.
 *
 * @param datasetPath        the training data folder
 * @param datasetFingerprint content hash of the data set's file list
 * @param splitFingerprint   SHA-256 of the split file; evaluation refuses another split
 * @param splitDescription   how the split was made, e.g. {@code donor valid_pct=0.2 seed=42}
 * @param seed               the run's seed
 * @param configuration      the run's configuration (its config.json)
 * @param backbone           the network body: an architecture name or a TorchScript file
 * @param backboneSha256     SHA-256 of a TorchScript body, or null
 * @param created            when the model was written (ISO-8601)
 * @param software           SmearScan, DJL, PyTorch and Java versions, OS architecture
 * @param other              anything else, by key (entries of older files that have no field here)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Provenance(String datasetPath, String datasetFingerprint, String splitFingerprint,
        String splitDescription, Long seed, String configuration, String backbone, String backboneSha256,
        String created, Map<String, String> software, Map<String, String> other) {

    public static final Provenance NONE = new Provenance(null, null, null, null, null, null, null, null, null,
            Map.of(), Map.of());

    /** Flat keys of files written before this record (model.json's provenance was a map of strings). */
    private static final String[] LEGACY_KEYS = {"dataset_path", "dataset_fingerprint", "split_fingerprint",
        "split_description", "seed", "config", "backbone", "backbone_sha256", "created"};

    public Provenance {
        software = software == null ? Map.of() : Map.copyOf(software);
        other = other == null ? Map.of() : Map.copyOf(other);
    }

    /** The same provenance with other entries by key (a calibration adds its own). */
    public Provenance withOther(Map<String, String> entries) {
        return new Provenance(datasetPath, datasetFingerprint, splitFingerprint, splitDescription, seed,
                configuration, backbone, backboneSha256, created, software, entries);
    }

    public Provenance withSoftware(Map<String, String> versions) {
        return new Provenance(datasetPath, datasetFingerprint, splitFingerprint, splitDescription, seed,
                configuration, backbone, backboneSha256, created, versions, other);
    }

    /**
     * Reads model.json's provenance in either layout: this record's fields, or the flat string map of model
     * files written before 2026-11-30, whose version keys (written twice, as {@code smearscan.version} and
     * {@code smearscan_version}) go to {@link #software} and whose other unknown keys to {@link #other}.
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static Provenance fromJson(Map<String, Object> json) {
        if (json.containsKey("software") || json.containsKey("datasetPath") || json.containsKey("other")) {
            return new Provenance(str(json, "datasetPath"), str(json, "datasetFingerprint"),
                    str(json, "splitFingerprint"), str(json, "splitDescription"),
                    json.get("seed") == null ? null : ((Number) json.get("seed")).longValue(),
                    str(json, "configuration"), str(json, "backbone"), str(json, "backboneSha256"),
                    str(json, "created"), strings(json.get("software")), strings(json.get("other")));
        }
        Map<String, String> flat = strings(json);
        return fromFlatMap(flat);
    }

    /** A provenance from flat string entries, as older model files and some tools record it. */
    public static Provenance fromFlatMap(Map<String, String> flat) {
        Map<String, String> software = new LinkedHashMap<>();
        Map<String, String> other = new LinkedHashMap<>();
        flat.forEach((key, value) -> {
            if (key.endsWith(".version") || key.equals("os.arch")) {
                software.put(key, value);
            } else if (!java.util.Arrays.asList(LEGACY_KEYS).contains(key)
                    && !key.matches("(smearscan|djl|java)_version|engine")) { // the second copy of the versions
                other.put(key, value);
            }
        });
        String seed = flat.get("seed");
        return new Provenance(flat.get("dataset_path"), flat.get("dataset_fingerprint"), flat.get("split_fingerprint"),
                flat.get("split_description"), seed == null ? null : Long.valueOf(seed), flat.get("config"),
                flat.get("backbone"), flat.get("backbone_sha256"), flat.get("created"), software, other);
    }

    /** Every entry as flat text, for reports: the fields that are set, then the versions, then the rest. */
    public Map<String, String> asMap() {
        Map<String, String> m = new LinkedHashMap<>();
        put(m, "dataset_path", datasetPath);
        put(m, "dataset_fingerprint", datasetFingerprint);
        put(m, "split_fingerprint", splitFingerprint);
        put(m, "split_description", splitDescription);
        put(m, "seed", seed == null ? null : seed.toString());
        put(m, "config", configuration);
        put(m, "backbone", backbone);
        put(m, "backbone_sha256", backboneSha256);
        put(m, "created", created);
        m.putAll(software);
        m.putAll(other);
        return m;
    }

    private static void put(Map<String, String> m, String key, String value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    private static String str(Map<String, Object> json, String key) {
        Object v = json.get(key);
        return v == null ? null : v.toString();
    }

    private static Map<String, String> strings(Object value) {
        Map<String, String> out = new LinkedHashMap<>();
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> out.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
        }
        return out;
    }
}
