package org.smearscan.field.compose;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.smearscan.field.truth.AnnotatedCell;
import org.smearscan.field.truth.FieldAnnotations;
import org.smearscan.io.AtomicFiles;

/**
 * Writes composed fields where another tool can score them: the pictures as {@code dir/fields/<prefix>-NNN.png}
 * (NNN from 001) and every cell of every field in {@code dir/truth.json}, in IML-Malaria's annotation format:
 * <pre>
 * [{"image_name": "composed-001.png", "objects": [{"type": "red blood cell", "bbox": {"x": "305", "y": "169", "h": "78", "w": "81"}}, ...]}, ...]
 * </pre>
 * with {@code type} {@code red blood cell} or {@code infected} and the box's values as strings, as the source
 * writes them. Each file is written atomically: a reader never sees half of one.
 */
public final class ComposedFieldSet {
    /** The folder of pictures inside the set's folder. */
    public static final String FIELDS = "fields";
    /** The truth file inside the set's folder. */
    public static final String TRUTH = "truth.json";

    private ComposedFieldSet() {}

    /**
     * Writes the fields and their truth under {@code dir} (created when missing), replacing files of the same
     * names.
     *
     * @param prefix the start of each picture's name: letters, digits, '-', '_' or '.'
     */
    public static void write(Path dir, List<ComposedField> fields, String prefix) throws IOException {
        if (prefix == null || !prefix.matches("[A-Za-z0-9._-]+") || prefix.startsWith(".")) {
            throw new IllegalArgumentException("the prefix must be letters, digits, '-', '_' or '.' (not first), got '"
                    + prefix + "'");
        }
        Path folder = dir.resolve(FIELDS);
        String[] names = new String[fields.size()];
        for (int i = 0; i < fields.size(); i++) {
            names[i] = String.format(Locale.ROOT, "%s-%03d.png", prefix, i + 1);
            ComposedField field = fields.get(i);
            AtomicFiles.write(folder.resolve(names[i]), out -> {
                if (!ImageIO.write(field.image(), "png", out)) {
                    throw new IOException("this Java runtime has no PNG writer");
                }
            });
        }
        Map<String, List<AnnotatedCell>> truth = new LinkedHashMap<>();
        for (int i = 0; i < fields.size(); i++) {
            truth.put(names[i], fields.get(i).cells());
        }
        FieldAnnotations.write(dir.resolve(TRUTH), truth);
    }
}
