package org.smearscan.bench.ood;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Color;
import java.awt.Font;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.smearscan.bench.BenchCommand;
import org.smearscan.data.CellDataset;
import org.smearscan.data.CellImage;
import org.smearscan.data.ImageDecoding;
import org.smearscan.data.Split;
import org.smearscan.data.SplitFile;
import org.smearscan.data.PixelStatistics;
import org.smearscan.inference.CellClassifier;
import org.smearscan.inference.OodFit;
import org.smearscan.modelfile.OutOfDistribution;
import org.smearscan.stats.FeatureDistance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What share of each kind of image a model's out-of-distribution score flags: real NIH cells of donors the score
 * never saw (flagged by mistake), and negatives made or found without held-out data: background patches,
 * dark-stained objects (white cells, platelets, debris) and whole fields cut from the smear-field photographs,
 * generated text and textures, photographs of other things; and red cells of another stain and optics (the
 * boxed cells of the fields), which are cells but unlike the training ones. Two thresholds: the model's own,
 * and one fitted again on half of the validation donors (by donor, alternately), so that the share of real
 * cells flagged is measured on donors the threshold never saw.
 */
@Command(name = "OodNegativesBenchmark", sortOptions = false,
        description = "Shares of real cells and of negatives that a model's out-of-distribution score flags.")
public final class OodNegativesBenchmark extends BenchCommand {
    @Parameters(index = "0", paramLabel = "MODEL", description = "A model file with an out-of-distribution score.")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "The model's data set (class folders).")
    Path data;

    @Option(names = "--split-file", required = true, paramLabel = "FILE", description = "The model's split file.")
    Path splitFile;

    @Option(names = "--fields", paramLabel = "DIR", description = "smear_fields folder (fields/, annotations.json).")
    Path fields;

    @Option(names = "--photos", paramLabel = "DIR", description = "A folder of photographs of other things.")
    Path photos;

    @Option(names = "--per-kind", defaultValue = "300", paramLabel = "N", description = "Images per generated kind.")
    int perKind;

    @Option(names = "--seed", defaultValue = "7", paramLabel = "S")
    long seed;

    public static void main(String[] args) {
        BenchCommand.main(new OodNegativesBenchmark(), args);
    }

    @Override
    protected void run(PrintWriter out) throws Exception {
        Random rnd = new Random(seed);
        try (CellClassifier classifier = CellClassifier.load(model)) {
            OutOfDistribution ood = classifier.info().ood();
            if (ood == null) {
                throw usage(model + " has no out-of-distribution score: give it one with smearscan fit-ood");
            }
            Split split = SplitFile.read(splitFile).resolve(CellDataset.scan(data));
            List<String> donors = new ArrayList<>(new TreeSet<>(split.valid().stream().map(CellImage::donor).toList()));
            List<BufferedImage> halfA = new ArrayList<>();
            List<BufferedImage> halfB = new ArrayList<>();
            for (CellImage image : split.valid()) {
                (donors.indexOf(image.donor()) % 2 == 0 ? halfA : halfB).add(ImageDecoding.read(image.path()));
            }
            Distances a = distances(classifier, ood, halfA);
            double featureThreshold = FeatureDistance.thresholdAt(a.features(), OodFit.SHARE_EACH);
            double pixelThreshold = FeatureDistance.thresholdAt(a.pixels(), OodFit.SHARE_EACH);
            out.printf(Locale.ROOT, "model %s (%s)%nstored thresholds: features %.4f, pixels %.4f; refitted on %d"
                    + " images of %d validation donors (every other one): features %.4f, pixels %.4f%n",
                    classifier.modelId(), ood.fittedOn(), ood.features().threshold(), ood.pixels().threshold(),
                    halfA.size(), (donors.size() + 1) / 2, featureThreshold, pixelThreshold);

            Map<String, List<BufferedImage>> kinds = new LinkedHashMap<>();
            kinds.put("NIH cells, validation donors not used for the refit", halfB);
            if (fields != null) {
                addFieldKinds(kinds, rnd);
            }
            kinds.put("text", generate(rnd, perKind, OodNegativesBenchmark::text));
            kinds.put("textures and shapes", generate(rnd, perKind, OodNegativesBenchmark::texture));
            if (photos != null) {
                kinds.put("pictures of other things", readAll(photos));
            }
            out.printf(Locale.ROOT, "%-58s %6s %9s %9s %10s %10s%n", "kind (flagged shares)", "n", "stored",
                    "refit", "features", "pixels");
            for (Map.Entry<String, List<BufferedImage>> kind : kinds.entrySet()) {
                Distances d = distances(classifier, ood, kind.getValue());
                int n = d.features().length;
                int stored = 0;
                int refit = 0;
                int byFeatures = 0;
                int byPixels = 0;
                for (int i = 0; i < n; i++) {
                    boolean f = d.features()[i] > featureThreshold;
                    boolean p = d.pixels()[i] > pixelThreshold;
                    stored += d.features()[i] > ood.features().threshold() || d.pixels()[i] > ood.pixels().threshold()
                            ? 1 : 0;
                    refit += f || p ? 1 : 0;
                    byFeatures += f ? 1 : 0;
                    byPixels += p ? 1 : 0;
                }
                out.printf(Locale.ROOT, "%-58s %6d %8.1f%% %8.1f%% %9.1f%% %9.1f%%%n", kind.getKey(), n,
                        pct(stored, n), pct(refit, n), pct(byFeatures, n), pct(byPixels, n));
            }
        }
    }

    private static double pct(int k, int n) {
        return 100.0 * k / Math.max(1, n);
    }

    /** Each image's distance over the network's features and over its pixel statistics (not yet over thresholds). */
    private record Distances(double[] features, double[] pixels) {}

    private static Distances distances(CellClassifier classifier, OutOfDistribution ood, List<BufferedImage> images) {
        List<byte[]> prepared = images.stream().map(classifier::prepare).toList();
        float[][] features = classifier.features(prepared, CellClassifier.DEFAULT_BATCH);
        double[] f = new double[features.length];
        double[] p = new double[features.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = ood.features().score(features[i]);
            p[i] = ood.pixels().score(PixelStatistics.describe(prepared.get(i), classifier.info().imageSize()));
        }
        return new Distances(f, p);
    }

    private interface Maker {
        BufferedImage make(Random rnd);
    }

    private static List<BufferedImage> generate(Random rnd, int n, Maker maker) {
        List<BufferedImage> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(maker.make(rnd));
        }
        return out;
    }

    private static List<BufferedImage> readAll(Path folder) throws Exception {
        List<BufferedImage> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                try {
                    out.add(ImageDecoding.read(f));
                } catch (Exception notAnImage) {
                    // a folder of photographs may hold other files
                }
            }
        }
        return out;
    }

    /** A box of an annotated field, clamped to the image. */
    private record Box(int x, int y, int w, int h, String type) {
        boolean contains(int px, int py) {
            return px >= x && px < x + w && py >= y && py < y + h;
        }

        boolean intersects(int ox, int oy, int ow, int oh) {
            return ox < x + w && x < ox + ow && oy < y + h && y < oy + oh;
        }
    }

    private void addFieldKinds(Map<String, List<BufferedImage>> kinds, Random rnd) throws Exception {
        JsonNode annotations = new ObjectMapper().readTree(fields.resolve("annotations.json").toFile());
        List<BufferedImage> background = new ArrayList<>();
        List<BufferedImage> large = new ArrayList<>();
        List<BufferedImage> largeOnBlack = new ArrayList<>();
        List<BufferedImage> small = new ArrayList<>();
        List<BufferedImage> wholeFields = new ArrayList<>();
        List<BufferedImage> redCells = new ArrayList<>();
        List<BufferedImage> maskedCells = new ArrayList<>();
        for (JsonNode field : annotations) {
            Path file = fields.resolve("fields").resolve(field.get("image_name").asText());
            if (!Files.exists(file)) {
                continue;
            }
            BufferedImage image = ImageDecoding.read(file);
            List<Box> boxes = new ArrayList<>();
            for (JsonNode o : field.get("objects")) {
                JsonNode b = o.get("bbox");
                int x = Math.max(0, Integer.parseInt(b.get("x").asText()));
                int y = Math.max(0, Integer.parseInt(b.get("y").asText()));
                int w = Math.min(image.getWidth() - x, Integer.parseInt(b.get("w").asText()));
                int h = Math.min(image.getHeight() - y, Integer.parseInt(b.get("h").asText()));
                if (w > 4 && h > 4) {
                    boxes.add(new Box(x, y, w, h, o.get("type").asText()));
                }
            }
            wholeFields.add(image);
            for (int i = 0; i < 20 && i < boxes.size(); i++) {
                Box b = boxes.get(rnd.nextInt(boxes.size()));
                int side = Math.max(b.w(), b.h());
                redCells.add(crop(image, b.x() + b.w() / 2 - side / 2, b.y() + b.h() / 2 - side / 2, side));
                maskedCells.add(onBlack(image, b));
            }
            for (int tries = 0, found = 0; tries < 400 && found < 8; tries++) {
                int side = 60 + rnd.nextInt(90);
                int x = rnd.nextInt(image.getWidth() - side);
                int y = rnd.nextInt(image.getHeight() - side);
                if (boxes.stream().noneMatch(b -> b.intersects(x - 5, y - 5, side + 10, side + 10))) {
                    background.add(crop(image, x, y, side));
                    found++;
                }
            }
            darkObjects(image, boxes, large, small);
        }
        kinds.put("field background patches (no box within 5 px)", background);
        kinds.put("dark-stained objects, large (white-cell nuclei; unverified)", large);
        for (BufferedImage object : large) {
            largeOnBlack.add(onBlack(object, new Box(0, 0, object.getWidth(), object.getHeight(), "")));
        }
        kinds.put("the same objects on black (the ellipse in the crop)", largeOnBlack);
        kinds.put("dark-stained objects, small (platelets, debris; unverified)", small);
        kinds.put("whole field photographs", wholeFields);
        kinds.put("red cells of another stain and optics (boxed field cells)", redCells);
        kinds.put("the same cells on black (the ellipse in the box), as NIH crops are", maskedCells);
    }

    /**
     * Connected regions of dark purple (Giemsa-stained nuclei, platelets, debris) whose centre lies in no box
     * (infected cells hold dark parasites too), at half resolution.
     */
    private static void darkObjects(BufferedImage image, List<Box> boxes, List<BufferedImage> large,
            List<BufferedImage> small) {
        int w = image.getWidth() / 2;
        int h = image.getHeight() / 2;
        boolean[] dark = new boolean[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = image.getRGB(2 * x, 2 * y);
                int r = (rgb >> 16) & 255;
                int g = (rgb >> 8) & 255;
                int b = rgb & 255;
                dark[y * w + x] = g < 110 && b > g + 30 && r < 190;
            }
        }
        int[] stack = new int[w * h];
        boolean[] seen = new boolean[w * h];
        for (int start = 0; start < dark.length; start++) {
            if (!dark[start] || seen[start]) {
                continue;
            }
            int top = 0;
            stack[top++] = start;
            seen[start] = true;
            int area = 0;
            int minX = w;
            int minY = h;
            int maxX = 0;
            int maxY = 0;
            while (top > 0) {
                int p = stack[--top];
                int px = p % w;
                int py = p / w;
                area++;
                minX = Math.min(minX, px);
                maxX = Math.max(maxX, px);
                minY = Math.min(minY, py);
                maxY = Math.max(maxY, py);
                int[] next = {p - 1, p + 1, p - w, p + w};
                for (int q : next) {
                    if (q >= 0 && q < dark.length && dark[q] && !seen[q] && Math.abs(q % w - px) <= 1) {
                        seen[q] = true;
                        stack[top++] = q;
                    }
                }
            }
            int cx = minX + maxX;
            int cy = minY + maxY; // full-resolution centre
            if (area < 20 || boxes.stream().anyMatch(b -> b.contains(cx, cy))) {
                continue;
            }
            int side = Math.max(48, (int) (2 * 1.6 * Math.max(maxX - minX, maxY - minY)));
            BufferedImage c = crop(image, cx - side / 2, cy - side / 2, side);
            (area >= 400 ? large : small).add(c);
        }
    }

    /** The box's cell as the NIH crops were made: the ellipse inscribed in the box, black outside it. */
    private static BufferedImage onBlack(BufferedImage image, Box b) {
        BufferedImage out = new BufferedImage(b.w(), b.h(), BufferedImage.TYPE_INT_RGB);
        double rx = b.w() / 2.0;
        double ry = b.h() / 2.0;
        for (int y = 0; y < b.h(); y++) {
            for (int x = 0; x < b.w(); x++) {
                double dx = (x + 0.5 - rx) / rx;
                double dy = (y + 0.5 - ry) / ry;
                out.setRGB(x, y, dx * dx + dy * dy <= 1 ? image.getRGB(b.x() + x, b.y() + y) : 0);
            }
        }
        return out;
    }

    private static BufferedImage crop(BufferedImage image, int x, int y, int side) {
        int x0 = Math.max(0, Math.min(image.getWidth() - 1, x));
        int y0 = Math.max(0, Math.min(image.getHeight() - 1, y));
        int w = Math.min(side, image.getWidth() - x0);
        int h = Math.min(side, image.getHeight() - y0);
        return image.getSubimage(x0, y0, Math.max(1, w), Math.max(1, h));
    }

    private static final String[] WORDS = {"malaria", "sample", "slide 12", "Giemsa", "patient", "2026-11-30",
        "ID 4471", "field", "OK", "lab", "x100", "negative", "THIN", "blood", "smear"};

    private static BufferedImage text(Random rnd) {
        int size = 64 + rnd.nextInt(160);
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        boolean light = rnd.nextBoolean();
        g.setColor(light ? new Color(200 + rnd.nextInt(56), 200 + rnd.nextInt(56), 200 + rnd.nextInt(56))
                : new Color(rnd.nextInt(60), rnd.nextInt(60), rnd.nextInt(60)));
        g.fillRect(0, 0, size, size);
        g.setColor(light ? new Color(rnd.nextInt(100), rnd.nextInt(100), rnd.nextInt(100))
                : new Color(180 + rnd.nextInt(76), 180 + rnd.nextInt(76), 180 + rnd.nextInt(76)));
        String[] fonts = {Font.SANS_SERIF, Font.SERIF, Font.MONOSPACED};
        for (int line = 0, lines = 1 + rnd.nextInt(3); line < lines; line++) {
            g.setFont(new Font(fonts[rnd.nextInt(fonts.length)], rnd.nextBoolean() ? Font.BOLD : Font.PLAIN,
                    size / (4 + rnd.nextInt(4))));
            g.drawString(WORDS[rnd.nextInt(WORDS.length)], rnd.nextInt(size / 4), (line + 1) * size / (lines + 1));
        }
        g.dispose();
        return image;
    }

    private static BufferedImage texture(Random rnd) {
        int size = 48 + rnd.nextInt(160);
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        Color a = new Color(rnd.nextInt(256), rnd.nextInt(256), rnd.nextInt(256));
        Color b = new Color(rnd.nextInt(256), rnd.nextInt(256), rnd.nextInt(256));
        switch (rnd.nextInt(6)) {
            case 0 -> { // uniform noise
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        image.setRGB(x, y, rnd.nextInt(1 << 24));
                    }
                }
            }
            case 1 -> { // stripes at an angle
                g.setColor(a);
                g.fillRect(0, 0, size, size);
                g.setColor(b);
                g.setTransform(AffineTransform.getRotateInstance(rnd.nextDouble() * Math.PI, size / 2.0, size / 2.0));
                int period = 4 + rnd.nextInt(20);
                for (int x = -size; x < 2 * size; x += period) {
                    g.fillRect(x, -size, period / 2, 3 * size);
                }
            }
            case 2 -> { // checkerboard
                int cell = 3 + rnd.nextInt(20);
                for (int y = 0; y < size; y += cell) {
                    for (int x = 0; x < size; x += cell) {
                        g.setColor(((x / cell + y / cell) % 2 == 0) ? a : b);
                        g.fillRect(x, y, cell, cell);
                    }
                }
            }
            case 3 -> { // gradient
                g.setPaint(new GradientPaint(0, 0, a, size, rnd.nextInt(size), b));
                g.fillRect(0, 0, size, size);
            }
            case 4 -> { // random polygons
                g.setColor(a);
                g.fillRect(0, 0, size, size);
                for (int i = 0; i < 3 + rnd.nextInt(8); i++) {
                    Polygon p = new Polygon();
                    for (int k = 0; k < 3 + rnd.nextInt(4); k++) {
                        p.addPoint(rnd.nextInt(size), rnd.nextInt(size));
                    }
                    g.setColor(new Color(rnd.nextInt(256), rnd.nextInt(256), rnd.nextInt(256)));
                    g.fillPolygon(p);
                }
            }
            default -> { // one flat colour
                g.setColor(a);
                g.fillRect(0, 0, size, size);
            }
        }
        g.dispose();
        return image;
    }
}
