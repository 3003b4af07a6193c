package org.smearscan.data;

/** How a cell crop of arbitrary shape becomes a square network input. */
public enum ResizeMethod {
    /** Stretch to the square, ignoring aspect ratio (fastai's default, the tutorial's choice). */
    SQUISH,
    /** Scale the short side to the target, then cut the centre square. */
    CROP,
    /** Scale the long side to the target, then pad the rest with black (the background of a crop). */
    PAD
}
