package org.smearscan.segment;

/**
 * Loads OpenCV's native library once per JVM. The openpnp jar carries the natives for each platform and
 * unpacks the right one to a temporary folder; every class here that touches a {@code Mat} calls
 * {@link #load()} first, so callers never have to.
 */
public final class OpenCv {
    private static volatile boolean loaded;

    private OpenCv() {}

    public static void load() {
        if (loaded) {
            return;
        }
        synchronized (OpenCv.class) {
            if (!loaded) {
                try {
                    nu.pattern.OpenCV.loadLocally();
                } catch (RuntimeException | UnsatisfiedLinkError e) {
                    throw new IllegalStateException("OpenCV's native library could not be loaded on "
                            + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ": " + e.getMessage(), e);
                }
                loaded = true;
            }
        }
    }
}
