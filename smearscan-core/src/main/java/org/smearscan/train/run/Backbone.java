package org.smearscan.train.run;

import java.nio.file.Path;

/**
 * Where a network's body comes from: built from scratch, a TorchScript file, a pretrained download, or a whole
 * SmearScan model ({@code .smear}) to go on training, as {@code train-fields --base} does to adapt the NIH model
 * to another stain and microscope.
 *
 * @param kind   which of the four
 * @param source the file path or download address; null when built
 */
public record Backbone(Kind kind, String source) {
    public enum Kind { BUILT, FILE, PRETRAINED, MODEL }

    public static final Backbone BUILT = new Backbone(Kind.BUILT, null);

    public static Backbone file(Path file) {
        return new Backbone(Kind.FILE, file.toAbsolutePath().normalize().toString());
    }

    public static Backbone pretrained(String url) {
        return new Backbone(Kind.PRETRAINED, url);
    }

    /** A trained SmearScan model, head included, to be trained further. */
    public static Backbone model(Path smearFile) {
        return new Backbone(Kind.MODEL, smearFile.toAbsolutePath().normalize().toString());
    }

    /**
     * A pretrained body under a new head starts frozen (fastai trains the new head first). A whole model's head
     * is trained already, so all of it trains from the start.
     */
    public boolean isPretrained() {
        return kind == Kind.FILE || kind == Kind.PRETRAINED;
    }
}
