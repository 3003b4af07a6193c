package org.smearscan.spark;

import ai.djl.ndarray.NDManager;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.smearscan.data.CellImage;
import org.smearscan.data.Normalization;
import org.smearscan.data.ResizeMethod;
import org.smearscan.inference.CellClassifier;
import org.smearscan.inference.OodFit;
import org.smearscan.model.Architecture;
import org.smearscan.model.CellNet;
import org.smearscan.model.HeadType;
import org.smearscan.model.ModelSpec;
import org.smearscan.model.Networks;
import org.smearscan.modelfile.ModelFile;
import org.smearscan.modelfile.ModelInfo;
import org.smearscan.modelfile.OutOfDistribution;
import org.smearscan.modelfile.Provenance;
import org.smearscan.train.Initialization;

/** Generated inputs for the job's tests: a small model file and NIH-named cell images. */
final class JobFixtures {
    static final List<String> CLASSES = List.of("Parasitized", "Uninfected");
    static final int SIZE = 32;

    private JobFixtures() {}

    /**
     * A compact network with random weights, initialised as training initialises it (seeded, so the same network
     * every run): its probabilities differ from image to image, enough for calls on both sides of a threshold.
     * (Batch norms randomised to look trained made some seeds saturate every probability to 1.)
     */
    static Path model(Path file, long seed) throws IOException {
        ModelInfo info = new ModelInfo(new ModelSpec(Architecture.COMPACT, HeadType.FASTAI, 2), CLASSES, 0, SIZE,
                ResizeMethod.SQUISH, Normalization.IMAGENET, 0.5, 1.0, Map.of("accuracy", 0.5),
                Provenance.fromFlatMap(Map.of("seed", Long.toString(seed))));
        CellNet net = Networks.build(info.spec());
        try (NDManager manager = NDManager.newBaseManager()) {
            Initialization.initialize(net, manager, SIZE, seed); // seeded: the same network every run
            ModelFile.write(file, net, info);
        }
        return file;
    }

    /**
     * The model written again to {@code out} with its threshold near the median probability of {@code files}, so
     * that about half of them are called each way, and with an out-of-distribution score fitted on them.
     */
    static Path splitAtMedian(Path model, List<Path> files, Path out) throws IOException {
        double[] p;
        try (CellClassifier classifier = CellClassifier.load(model)) {
            p = classifier.predictFiles(files, false).stream()
                    .mapToDouble(r -> r.prediction().orElseThrow().parasitizedProbability()).sorted().toArray();
        }
        // the middle of the widest gap between neighbours in the central half: no image lies near the threshold, so
        // rounding differences between engines and thread counts cannot flip a call
        double median = (p[(p.length - 1) / 2] + p[p.length / 2]) / 2;
        double widest = -1;
        for (int i = p.length / 4; i < 3 * p.length / 4 - 1; i++) {
            if (p[i + 1] - p[i] > widest) {
                widest = p[i + 1] - p[i];
                median = (p[i] + p[i + 1]) / 2;
            }
        }
        if (widest < 1e-3) {
            throw new IllegalStateException("the fixture network gives nearly equal probabilities (widest central gap "
                    + widest + "): no threshold splits them safely");
        }
        // and an out-of-distribution score, fitted on every other image, its threshold on the rest
        List<CellImage> even = new ArrayList<>();
        List<CellImage> odd = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            (i % 2 == 0 ? even : odd).add(new CellImage(files.get(i), 0, "P" + i));
        }
        OutOfDistribution ood;
        try (CellClassifier classifier = CellClassifier.load(model)) {
            ood = OodFit.fit(classifier, even, odd, 1);
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelFile.Loaded loaded = ModelFile.read(model, manager);
            ModelFile.write(out, loaded.net(), loaded.info().withThreshold(median).withOod(ood));
        }
        return out;
    }

    /**
     * {@code perDonor} images for each of {@code donors} donors under {@code root/Parasitized} (names
     * {@code C<slide>P<donor>ThinF_IMG_1_cell_<k>.png}), in colours and sizes that vary.
     */
    static List<Path> cells(Path root, int donors, int perDonor, long seed) throws IOException {
        Random rnd = new Random(seed);
        Path folder = Files.createDirectories(root.resolve("Parasitized"));
        List<Path> files = new ArrayList<>();
        for (int d = 1; d <= donors; d++) {
            for (int k = 0; k < perDonor; k++) {
                int w = 40 + rnd.nextInt(40);
                int h = 40 + rnd.nextInt(40);
                BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
                Graphics2D g = image.createGraphics();
                g.setColor(new Color(rnd.nextInt(256), rnd.nextInt(256), rnd.nextInt(256)));
                g.fillOval(2, 2, w - 4, h - 4);
                g.setColor(new Color(rnd.nextInt(256), rnd.nextInt(128), rnd.nextInt(256)));
                g.fillOval(rnd.nextInt(w / 2), rnd.nextInt(h / 2), 4 + rnd.nextInt(w / 3), 4 + rnd.nextInt(h / 3));
                g.dispose();
                Path file = folder.resolve("C" + (100 + d) + "P" + d + "ThinF_IMG_1_cell_" + k + ".png");
                ImageIO.write(image, "png", file.toFile());
                files.add(file);
            }
        }
        return files;
    }
}
