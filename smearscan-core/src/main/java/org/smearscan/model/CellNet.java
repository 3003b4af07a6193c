package org.smearscan.model;

import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;

/**
 * A classifier split into the convolutional body and the head, kept apart because Grad-CAM needs the
 * body's output and freezing works group by group. {@link #network()} chains the two.
 */
public final class CellNet {
    private final SequentialBlock body;
    private final SequentialBlock head;
    private final SequentialBlock network;
    private final ModelSpec spec;

    public CellNet(ModelSpec spec, SequentialBlock body, SequentialBlock head) {
        this.spec = spec;
        this.body = body;
        this.head = head;
        this.network = new ReleasingSequentialBlock().add(body).add(head);
    }

    public ModelSpec spec() {
        return spec;
    }

    /** Stem and residual stages; its output is the last convolutional feature map. */
    public SequentialBlock body() {
        return body;
    }

    public SequentialBlock head() {
        return head;
    }

    /** body then head: images (N,3,H,W) to logits (N,classes). */
    public Block network() {
        return network;
    }
}
