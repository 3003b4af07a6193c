package org.smearscan.train;

import java.util.Iterator;
import org.smearscan.data.HostBatch;

/**
 * Where a learner's batches come from. The order and augmentation of an epoch must be a function of the
 * epoch number (and a seed fixed at construction) alone: that is what lets a resumed run see exactly the
 * batches an uninterrupted run would have seen.
 */
public interface BatchSource {
    /** The batches of epoch {@code epoch} (0-based, counted over the whole run). */
    Iterator<HostBatch> epoch(int epoch);

    int batchesPerEpoch();

    int imageCount();

    /** Stops a source's background preparation when an epoch's batches are left before their end. */
    static void close(Iterator<HostBatch> batches) {
        if (batches instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new IllegalStateException("cannot close the batch source: " + e.getMessage(), e);
            }
        }
    }
}
