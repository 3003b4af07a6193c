package org.smearscan.data;

/**
 * A batch assembled in Java memory, ready to copy into the engine in one call.
 *
 * @param pixels  normalised pixels in NCHW order, {@code count * 3 * size * size} floats
 * @param labels  class index of each image
 * @param indices position of each image in the list the batch was drawn from (to trace it back)
 * @param count   images in this batch (the last batch of an epoch may be short)
 * @param size    side of the square images in pixels
 */
public record HostBatch(float[] pixels, int[] labels, int[] indices, int count, int size) {}
