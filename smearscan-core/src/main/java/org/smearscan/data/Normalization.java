package org.smearscan.data;

/**
 * Per-channel mean and standard deviation, in the 0..1 pixel scale, RGB order.
 * Applied as (pixel / 255 - mean) / std.
 */
public record Normalization(float[] mean, float[] std) {
    /** The statistics that ImageNet-pretrained backbones expect. */
    public static final Normalization IMAGENET =
            new Normalization(new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});

    public Normalization {
        if (mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("normalisation needs 3 channel means and 3 stds");
        }
        mean = mean.clone();
        std = std.clone();
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }
}
