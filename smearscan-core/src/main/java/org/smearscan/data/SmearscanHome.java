package org.smearscan.data;

import java.nio.file.Path;

/** Where SmearScan keeps downloads and caches: {@code $SMEARSCAN_HOME}, else {@code ~/.smearscan}. */
public final class SmearscanHome {
    public static final String ENV = "SMEARSCAN_HOME";

    private SmearscanHome() {}

    public static Path dir() {
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath();
        }
        return Path.of(System.getProperty("user.home"), ".smearscan");
    }

    /** Decoded-image caches ({@link ImageCache}). */
    public static Path cacheDir() {
        return dir().resolve("cache");
    }

    /** Downloaded data sets ({@link Download}). */
    public static Path dataDir() {
        return dir().resolve("data");
    }
}
