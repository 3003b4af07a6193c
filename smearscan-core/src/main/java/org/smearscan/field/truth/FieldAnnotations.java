package org.smearscan.field.truth;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.smearscan.io.AtomicFiles;
import org.smearscan.segment.Box;

/**
 * The boxed cells of each field in an IML-Malaria {@code annotations.json}: a JSON array of
 * {@code {"image_name": "PA171710.JPG", "objects": [{"type": "red blood cell", "bbox": {"x": "305", "y": "169",
 * "h": "78", "w": "81"}}, ...]}}, with {@code x, y} the top-left corner in pixels.
 *
 * <p>The source writes the four box values as strings; JSON numbers are accepted too, and so is a whole number
 * written with a fraction of zeros ({@code "305.0"}), but not {@code "305.5"}: a box edge between pixels would
 * mean the file is not what we think it is. Keys other than the ones above are ignored. The file is checked
 * whole when read, so a mistake is reported once, with its place, rather than as a wrong count later.
 */
public final class FieldAnnotations {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path source;
    private final Map<String, List<AnnotatedCell>> cellsByImage;

    private FieldAnnotations(Path source, Map<String, List<AnnotatedCell>> cellsByImage) {
        this.source = source;
        this.cellsByImage = cellsByImage;
    }

    /**
     * Reads and checks an annotation file.
     *
     * @throws AnnotationFormatException when the file is not JSON or not in the format above; the message names
     *                                   the file, the image (or the entry's index) and what is wrong
     * @throws IOException               when the file cannot be read at all
     */
    public static FieldAnnotations read(Path file) throws IOException {
        JsonNode root;
        try (InputStream in = Files.newInputStream(file)) {
            root = JSON.readTree(in);
        } catch (JacksonException e) {
            throw new AnnotationFormatException(file + " is not JSON: " + e.getOriginalMessage() + at(e.getLocation()),
                    e);
        }
        if (root == null || root.isMissingNode()) {
            throw new AnnotationFormatException(file + " is empty: expected a JSON array of images");
        }
        if (!root.isArray()) {
            throw new AnnotationFormatException(file + ": expected a JSON array of images, found "
                    + root.getNodeType().toString().toLowerCase(Locale.ROOT));
        }
        Map<String, List<AnnotatedCell>> cellsByImage = new LinkedHashMap<>();
        Map<String, Integer> entryOfImage = new HashMap<>();
        for (int entry = 0; entry < root.size(); entry++) {
            JsonNode image = root.get(entry);
            String place = file + ", entry [" + entry + "]";
            if (!image.isObject()) {
                throw new AnnotationFormatException(place + ": expected an object with \"image_name\" and \"objects\"");
            }
            JsonNode name = image.get("image_name");
            if (name == null || !name.isTextual() || name.asText().isBlank()) {
                throw new AnnotationFormatException(place + ": missing key \"image_name\" (a non-empty string)");
            }
            String imageName = name.asText();
            place = file + ", image " + imageName + " (entry [" + entry + "])";
            Integer earlier = entryOfImage.putIfAbsent(imageName, entry);
            if (earlier != null) {
                throw new AnnotationFormatException(place + ": duplicate image_name, already at entry [" + earlier + "]");
            }
            cellsByImage.put(imageName, Collections.unmodifiableList(readObjects(image, place)));
        }
        return new FieldAnnotations(file, Collections.unmodifiableMap(cellsByImage));
    }

    private static List<AnnotatedCell> readObjects(JsonNode image, String place) throws AnnotationFormatException {
        JsonNode objects = image.get("objects");
        if (objects == null || !objects.isArray()) {
            throw new AnnotationFormatException(place + ": missing key \"objects\" (an array, empty for no cells)");
        }
        List<AnnotatedCell> cells = new ArrayList<>(objects.size());
        for (int i = 0; i < objects.size(); i++) {
            String objectPlace = place + ", object [" + i + "]";
            JsonNode object = objects.get(i);
            if (!object.isObject()) {
                throw new AnnotationFormatException(objectPlace + ": expected an object with \"type\" and \"bbox\"");
            }
            CellType type = readType(object.get("type"), objectPlace);
            JsonNode bbox = object.get("bbox");
            if (bbox == null || !bbox.isObject()) {
                throw new AnnotationFormatException(objectPlace + ": missing key \"bbox\" (an object with x, y, w, h)");
            }
            int x = wholeNumber(bbox, "x", objectPlace);
            int y = wholeNumber(bbox, "y", objectPlace);
            int w = wholeNumber(bbox, "w", objectPlace);
            int h = wholeNumber(bbox, "h", objectPlace);
            if (w < 1 || h < 1) {
                throw new AnnotationFormatException(objectPlace + ": box of width " + w + " and height " + h
                        + "; both must be at least 1");
            }
            cells.add(new AnnotatedCell(new Box(x, y, w, h), type));
        }
        return cells;
    }

    private static CellType readType(JsonNode type, String place) throws AnnotationFormatException {
        if (type == null || !type.isTextual()) {
            throw new AnnotationFormatException(place + ": missing key \"type\" (a string)");
        }
        return CellType.fromAnnotation(type.asText()).orElseThrow(() -> new AnnotationFormatException(place
                + ": unknown type \"" + type.asText() + "\"; known types: " + knownTypes()));
    }

    private static String knownTypes() {
        return Arrays.stream(CellType.values()).map(CellType::annotationName).collect(Collectors.joining(", "));
    }

    private static int wholeNumber(JsonNode bbox, String key, String place) throws AnnotationFormatException {
        JsonNode node = bbox.get(key);
        if (node == null) {
            throw new AnnotationFormatException(place + ": missing key \"bbox." + key + "\"");
        }
        BigDecimal value;
        try {
            if (node.isTextual()) {
                value = new BigDecimal(node.asText().strip());
            } else if (node.isNumber()) {
                value = node.decimalValue();
            } else {
                throw new NumberFormatException();
            }
            return value.intValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw new AnnotationFormatException(place + ": bbox." + key + " is " + node
                    + ", not a whole number of pixels");
        }
    }

    private static String at(JsonLocation location) {
        return location == null || location.getLineNr() < 0 ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    /**
     * Writes cells in the same format, values as strings like the source, so that fields composed or
     * corrected here are read by the same code (and by the source's own tools). Images are written in the
     * map's order. The write is atomic: a reader sees the old file or the whole new one.
     */
    public static void write(Path file, Map<String, List<AnnotatedCell>> cellsByImage) throws IOException {
        ArrayNode root = JSON.createArrayNode();
        for (Map.Entry<String, List<AnnotatedCell>> image : cellsByImage.entrySet()) {
            String name = Objects.requireNonNull(image.getKey(), "image name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("cannot write an image with a blank name to " + file);
            }
            ObjectNode entry = root.addObject();
            entry.put("image_name", name);
            ArrayNode objects = entry.putArray("objects");
            for (AnnotatedCell cell : Objects.requireNonNull(image.getValue(), () -> "cells of " + name)) {
                ObjectNode object = objects.addObject();
                object.put("type", cell.type().annotationName());
                ObjectNode bbox = object.putObject("bbox");
                Box box = cell.box();
                bbox.put("x", Integer.toString(box.x()));
                bbox.put("y", Integer.toString(box.y()));
                bbox.put("h", Integer.toString(box.h()));
                bbox.put("w", Integer.toString(box.w()));
            }
        }
        AtomicFiles.write(file, out -> JSON.writeValue(out, root));
    }

    /** The images, in the file's order. */
    public List<String> imageNames() {
        return List.copyOf(cellsByImage.keySet());
    }

    public boolean has(String imageName) {
        return cellsByImage.containsKey(imageName);
    }

    /** The number of images. */
    public int size() {
        return cellsByImage.size();
    }

    /**
     * The cells of an image as written, boxes possibly reaching past the image's edge.
     *
     * @throws IllegalArgumentException when the file has no such image
     */
    public List<AnnotatedCell> cells(String imageName) {
        List<AnnotatedCell> cells = cellsByImage.get(imageName);
        if (cells == null) {
            throw new IllegalArgumentException("no image " + imageName + " in " + source + " (" + size() + " images)");
        }
        return cells;
    }

    /**
     * The cells of an image with each box cut to the image: about 1 box in 30 of IML-Malaria reaches up to 5 px
     * past the right or bottom edge, and a box must lie inside the image to be cropped or compared with a
     * detection (which always does). Boxes wholly outside are dropped.
     */
    public List<AnnotatedCell> cellsWithin(String imageName, int imageWidth, int imageHeight) {
        if (imageWidth < 1 || imageHeight < 1) {
            throw new IllegalArgumentException("image " + imageName + " of " + imageWidth + " x " + imageHeight
                    + " px; both must be at least 1");
        }
        List<AnnotatedCell> within = new ArrayList<>();
        for (AnnotatedCell cell : cells(imageName)) {
            Box clamped = cell.box().clampTo(imageWidth, imageHeight);
            if (clamped != null) {
                within.add(new AnnotatedCell(clamped, cell.type()));
            }
        }
        return Collections.unmodifiableList(within);
    }
}
