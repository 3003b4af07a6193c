package org.smearscan.model;

/**
 * Everything needed to rebuild a network's structure before its weights are loaded.
 *
 * @param architecture the body
 * @param head         the classifier head
 * @param numClasses   outputs of the last linear layer
 */
public record ModelSpec(Architecture architecture, HeadType head, int numClasses) {
    public ModelSpec {
        if (numClasses < 2) {
            throw new IllegalArgumentException("a classifier needs at least 2 classes, got " + numClasses);
        }
    }
}
