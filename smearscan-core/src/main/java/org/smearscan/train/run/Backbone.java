package org.smearscan.train.run;

import java.nio.file.Path;

/**
 * Where a network's body comes from: built from scratch, a TorchScript file, or a pretrained download.
 *
 * @param kind   which of the three
 * @param source the file path or download address; null when built
 */
public record Backbone(Kind kind, String source) {
    public enum Kind { BUILT, FILE, PRETRAINED }

    public static final Backbone BUILT = new Backbone(Kind.BUILT, null);

    public static Backbone file(Path file) {
        return new Backbone(Kind.FILE, file.toAbsolutePath().normalize().toString());
    }

    public static Backbone pretrained(String url) {
        return new Backbone(Kind.PRETRAINED, url);
    }

    /** A pretrained body starts frozen (fastai trains the new head first). */
    public boolean isPretrained() {
        return kind != Kind.BUILT;
    }
}
