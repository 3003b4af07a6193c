package org.smearscan.model;

import ai.djl.nn.Block;

/**
 * Child names for SmearScan's block subclasses. DJL names a child after its class, and parameter names
 * (which checkpoints key their weights by) are paths of child names; naming our subclasses after the DJL
 * block they extend keeps those paths what they were before the subclasses existed.
 */
final class BlockNames {
    private BlockNames() {}

    static String of(Block block) {
        Class<?> type = block.getClass();
        while (!type.getPackageName().startsWith("ai.djl") && type.getSuperclass() != null) {
            type = type.getSuperclass();
        }
        return type.getSimpleName();
    }
}
