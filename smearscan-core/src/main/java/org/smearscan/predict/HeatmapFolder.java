package org.smearscan.predict;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.smearscan.inference.CellClassifier;
import org.smearscan.inference.HeatmapOverlay;
import org.smearscan.inference.HeatmapWriter;
import org.smearscan.inference.Prediction;
import org.smearscan.io.AtomicFiles;

/**
 * Writes each image's Grad-CAM overlay as {@code DIR/<name>.gradcam.png}, explaining the predicted class.
 * Two inputs with the same file name (from different folders) get numbered names rather than overwrite
 * each other; each file is written to a temporary name first and renamed, so no half image is left.
 */
public final class HeatmapFolder implements HeatmapWriter {
    private final Path folder;
    private final Set<String> used = new HashSet<>();

    public HeatmapFolder(Path folder) throws IOException {
        this.folder = Files.createDirectories(folder);
    }

    public Path folder() {
        return folder;
    }

    @Override
    public List<Path> write(CellClassifier classifier, List<Path> files, List<BufferedImage> originals,
            List<byte[]> prepared, List<Prediction> predictions) throws IOException {
        int[] targets = predictions.stream().mapToInt(Prediction::labelIndex).toArray();
        float[][][] maps = classifier.heatmaps(prepared, targets);
        List<Path> written = new ArrayList<>(files.size());
        for (int i = 0; i < files.size(); i++) {
            BufferedImage overlay = HeatmapOverlay.overlay(originals.get(i), maps[i], classifier.info().resize());
            Path target = folder.resolve(uniqueName(files.get(i)));
            AtomicFiles.write(target, out -> ImageIO.write(overlay, "png", out));
            written.add(target);
        }
        return written;
    }

    private synchronized String uniqueName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String candidate = stem + ".gradcam.png";
        for (int n = 2; !used.add(candidate); n++) {
            candidate = stem + "-" + n + ".gradcam.png";
        }
        return candidate;
    }
}
