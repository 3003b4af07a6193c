package org.smearscan.data;

import java.nio.file.Path;

/**
 * One labelled single-cell image on disk.
 *
 * @param path  the image file
 * @param label index into the dataset's sorted class list (Parasitized = 0, Uninfected = 1 for NIH)
 * @param donor the patient the smear came from, parsed from the file name (see {@link Donor})
 */
public record CellImage(Path path, int label, String donor) {}
