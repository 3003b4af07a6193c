package org.smearscan.field.compose;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.smearscan.data.CellDataset;
import org.smearscan.data.CellImage;
import org.smearscan.data.ImageDecoding;
import org.smearscan.data.UnreadableImageException;

/** The single-cell crops a {@link FieldComposer} draws its cells from: infected and uninfected ones. */
public final class CellSource {
    /** NIH's folder of infected cells. */
    public static final String PARASITIZED = "Parasitized";
    /** NIH's folder of uninfected cells. */
    public static final String UNINFECTED = "Uninfected";

    /**
     * A crop whose cell covers less than this share of it is not used by {@link #fromFolder}: an almost black
     * picture or a sliver would be blown up to a whole cell.
     */
    static final double MIN_CELL_SHARE = 0.2;
    /**
     * A crop whose cell has a lower {@link CellMask#solidity()} is not used by {@link #fromFolder}: a ragged
     * or notched outline is NIH's segmentation (a neighbour's piece, a bite), not a cell's shape. About 15% of
     * the NIH crops (20% of the parasitized, 12% of the uninfected) fall below it.
     */
    static final double MIN_SOLIDITY = 0.9;

    private final List<CellCrop> crops;
    private final List<CellCrop> infected;
    private final List<CellCrop> uninfected;

    private CellSource(List<CellCrop> crops) {
        this.crops = List.copyOf(crops);
        this.infected = this.crops.stream().filter(CellCrop::infected).toList();
        this.uninfected = this.crops.stream().filter(c -> !c.infected()).toList();
    }

    /** The given crops, in order. */
    public static CellSource of(List<CellCrop> crops) {
        Objects.requireNonNull(crops, "crops");
        if (crops.isEmpty()) {
            throw new IllegalArgumentException("a cell source needs at least one crop");
        }
        return new CellSource(crops);
    }

    /**
     * A random sample of up to {@code perClassLimit} crops of each class from an NIH-style folder
     * ({@code cellImages/Parasitized}, {@code cellImages/Uninfected}; the layouts {@link CellDataset#scan}
     * recognises). Files that cannot be decoded, crops with (almost) no cell in them and cells with a ragged
     * outline (see {@link #MIN_SOLIDITY}) are passed over and others drawn in their place.
     *
     * @throws IOException when the folder cannot be read, lacks one of the two class folders, or a class has
     *     no usable crop; the message names the folder
     */
    public static CellSource fromFolder(Path cellImages, int perClassLimit, long seed) throws IOException {
        if (perClassLimit < 1) {
            throw new IllegalArgumentException("perClassLimit must be at least 1, got " + perClassLimit);
        }
        CellDataset dataset = CellDataset.scan(cellImages);
        List<String> classes = dataset.classes();
        Random rnd = new Random(seed);
        List<CellCrop> crops = new ArrayList<>();
        for (String name : List.of(PARASITIZED, UNINFECTED)) {
            int label = classes.indexOf(name);
            Path folder = dataset.root().resolve(name);
            if (label < 0) {
                throw new IOException(dataset.root() + " has no " + name + " folder (expected " + PARASITIZED
                        + "/ and " + UNINFECTED + "/, found " + (classes.isEmpty() ? "none" : String.join(", ", classes)) + ")");
            }
            List<CellImage> images = new ArrayList<>(dataset.images().stream().filter(i -> i.label() == label).toList());
            Collections.shuffle(images, rnd);
            int taken = 0;
            int passedOver = 0;
            for (CellImage image : images) {
                if (taken == perClassLimit) {
                    break;
                }
                CellCrop crop = usableCrop(image.path(), name.equals(PARASITIZED));
                if (crop == null) {
                    passedOver++;
                } else {
                    crops.add(crop);
                    taken++;
                }
            }
            if (taken == 0) {
                throw new IOException(folder + " holds no usable cell crop (" + images.size() + " images, "
                        + passedOver + " unreadable, without a cell on a black background, or with a ragged one)");
            }
        }
        return new CellSource(crops);
    }

    /** Every crop. */
    public List<CellCrop> crops() {
        return crops;
    }

    public List<CellCrop> infected() {
        return infected;
    }

    public List<CellCrop> uninfected() {
        return uninfected;
    }

    public int size() {
        return crops.size();
    }

    private static CellCrop usableCrop(Path file, boolean infected) {
        BufferedImage image;
        try {
            image = ImageDecoding.read(file);
        } catch (UnreadableImageException e) {
            return null;
        }
        CellMask mask = CellMask.of(image);
        if (mask.area() < MIN_CELL_SHARE * image.getWidth() * image.getHeight() || mask.solidity() < MIN_SOLIDITY) {
            return null;
        }
        return new CellCrop(image, infected, mask);
    }
}
