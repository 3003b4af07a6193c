package org.smearscan.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every image of a list decoded and resized once, kept in one file of HWC uint8 pixels that is
 * memory-mapped, so epochs read bytes instead of decoding PNGs.
 *
 * <p>A cache is identified by the images (their fingerprint), the side in pixels and the resize method; a
 * change to any of them gives a different file. Slot {@code i} holds {@code images.get(i)}. Images that
 * cannot be decoded (truncated, corrupt) are reported in {@link #unreadable()} with the problem and have no
 * pixels; {@link #slotsOf} and {@link #readableSlots()} leave them out.
 *
 * <p>File layout (little-endian): a 64-byte header (magic {@code SMRCACHE}, version, image count, side,
 * resize method, 32-byte key), then {@code count * side * side * 3} pixel bytes, then a trailer (per image:
 * a readable flag and the CRC32C of its pixels; the problems of unreadable images), then a 24-byte footer
 * (trailer offset and length, trailer CRC32C, and the marker {@code COMPLETE}) written last. The file is
 * built under a temporary name and renamed into place, and every image's CRC is checked on opening, so a
 * partial or corrupt cache is rebuilt, never trusted.
 */
public final class ImageCache {
    private static final Logger LOG = LoggerFactory.getLogger(ImageCache.class);
    private static final byte[] MAGIC = "SMRCACHE".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] COMPLETE = "COMPLETE".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final int HEADER_BYTES = 64;
    static final int FOOTER_BYTES = 24;
    /** Source images above this many pixels are refused (a decompression bomb guard; NIH crops are ~0.02 Mpx). */
    static final long MAX_SOURCE_PIXELS = 50_000_000L;
    /** Mapped chunks stay under 2 GiB, the limit of one ByteBuffer. */
    private static final long MAX_CHUNK_BYTES = 1L << 30;

    /** An image that could not be decoded, and why. */
    public record Unreadable(CellImage image, String problem) {}

    /** How this cache came to be open. */
    public enum Origin { REUSED, BUILT, REBUILT }

    private final Path file;
    private final List<CellImage> images;
    private final int size;
    private final ResizeMethod method;
    private final int imageBytes;
    private final boolean[] readable;
    private final List<Unreadable> unreadable;
    private final ByteBuffer[] chunks;
    private final int imagesPerChunk;
    private final Origin origin;
    private final String rebuildReason;
    private Map<Path, Integer> slotOfPath;

    private ImageCache(Path file, List<CellImage> images, int size, ResizeMethod method, boolean[] readable,
            List<Unreadable> unreadable, ByteBuffer[] chunks, int imagesPerChunk, Origin origin, String rebuildReason) {
        this.file = file;
        this.images = images;
        this.size = size;
        this.method = method;
        this.imageBytes = 3 * size * size;
        this.readable = readable;
        this.unreadable = List.copyOf(unreadable);
        this.chunks = chunks;
        this.imagesPerChunk = imagesPerChunk;
        this.origin = origin;
        this.rebuildReason = rebuildReason;
    }

    /** The data set's images in the default cache folder ({@link SmearscanHome#cacheDir()}), 2 threads. */
    public static ImageCache open(CellDataset dataset, int size, ResizeMethod method) throws IOException {
        return open(dataset, size, method, SmearscanHome.cacheDir());
    }

    /** The data set's images in {@code cacheDir}, built with 2 threads and a progress bar when missing. */
    public static ImageCache open(CellDataset dataset, int size, ResizeMethod method, Path cacheDir)
            throws IOException {
        return builder(dataset.images(), dataset.fileStamp()).size(size).method(method).cacheDir(cacheDir).open();
    }

    /**
     * Any list of images (e.g. a folder to evaluate). Their identity is read from the files' sizes and
     * modification times.
     */
    public static ImageCache open(List<CellImage> images, int size, ResizeMethod method, Path cacheDir)
            throws IOException {
        return builder(images, fingerprintOf(images)).size(size).method(method).cacheDir(cacheDir).open();
    }

    /** Full control: threads and progress display. {@code fingerprint} must change whenever the images do. */
    public static Builder builder(List<CellImage> images, String fingerprint) {
        return new Builder(images, fingerprint);
    }

    /** Settings of {@link #open}; {@code size} and {@code method} are required. */
    public static final class Builder {
        private final List<CellImage> images;
        private final String fingerprint;
        private int size;
        private ResizeMethod method;
        private Path cacheDir = SmearscanHome.cacheDir();
        private int threads = 2;
        private boolean progress = true;

        private Builder(List<CellImage> images, String fingerprint) {
            this.images = List.copyOf(images);
            this.fingerprint = Objects.requireNonNull(fingerprint);
        }

        public Builder size(int size) {
            if (size < 8 || size > 2048) {
                throw new IllegalArgumentException("image size must be 8..2048 pixels, got " + size);
            }
            this.size = size;
            return this;
        }

        public Builder method(ResizeMethod method) {
            this.method = Objects.requireNonNull(method);
            return this;
        }

        public Builder cacheDir(Path cacheDir) {
            this.cacheDir = Objects.requireNonNull(cacheDir);
            return this;
        }

        /** Decoding threads when building (default 2). */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1");
            }
            this.threads = threads;
            return this;
        }

        /** Show a progress bar while building (default on). */
        public Builder progress(boolean progress) {
            this.progress = progress;
            return this;
        }

        /** Opens the cache, building it first when it is missing, stale, partial or corrupt. */
        public ImageCache open() throws IOException {
            if (size == 0 || method == null) {
                throw new IllegalStateException("set the image size and resize method");
            }
            Files.createDirectories(cacheDir);
            byte[] key = key(fingerprint, size, method);
            Path file = cacheDir.resolve(String.format("cells-%s-%dpx-%s.cache",
                    HexFormat.of().formatHex(key, 0, 8), size, method.name().toLowerCase(java.util.Locale.ROOT)));
            String reason = null;
            if (Files.exists(file)) {
                try {
                    return load(file, key, images, size, method, true, Origin.REUSED, null);
                } catch (CorruptCacheException e) {
                    reason = e.getMessage();
                    LOG.warn("Image cache {} cannot be used ({}); rebuilding it", file, reason);
                }
            }
            build(file, key, images, size, method, threads, progress);
            return load(file, key, images, size, method, false, reason == null ? Origin.BUILT : Origin.REBUILT, reason);
        }
    }

    /** The cache file. */
    public Path file() {
        return file;
    }

    /** Whether this open reused, built or rebuilt the file. */
    public Origin origin() {
        return origin;
    }

    /** Why an existing file was rebuilt, or null. */
    public String rebuildReason() {
        return rebuildReason;
    }

    /** Side of the square images, in pixels. */
    public int size() {
        return size;
    }

    public ResizeMethod method() {
        return method;
    }

    /** Number of slots, readable or not: the length of the image list the cache was opened for. */
    public int count() {
        return images.size();
    }

    /** The image in a slot. */
    public CellImage image(int slot) {
        return images.get(slot);
    }

    /** The class index of the image in a slot. */
    public int label(int slot) {
        return images.get(slot).label();
    }

    public boolean isReadable(int slot) {
        return readable[slot];
    }

    /** Images that could not be decoded, with the problem; they have no pixels. */
    public List<Unreadable> unreadable() {
        return unreadable;
    }

    /** Every slot that holds pixels, in order. */
    public int[] readableSlots() {
        int[] slots = new int[images.size() - unreadable.size()];
        int n = 0;
        for (int i = 0; i < readable.length; i++) {
            if (readable[i]) {
                slots[n++] = i;
            }
        }
        return slots;
    }

    /**
     * The slots of the given images, in their order, leaving out unreadable ones (see {@link #unreadable()}).
     *
     * @throws IllegalArgumentException when an image is not in this cache
     */
    public int[] slotsOf(List<CellImage> wanted) {
        synchronized (this) {
            if (slotOfPath == null) {
                slotOfPath = new HashMap<>(images.size() * 2);
                for (int i = 0; i < images.size(); i++) {
                    slotOfPath.put(images.get(i).path(), i);
                }
            }
        }
        int[] slots = new int[wanted.size()];
        int n = 0;
        for (CellImage image : wanted) {
            Integer slot = slotOfPath.get(image.path());
            if (slot == null) {
                throw new IllegalArgumentException(image.path() + " is not in the image cache " + file);
            }
            if (readable[slot]) {
                slots[n++] = slot;
            }
        }
        return Arrays.copyOf(slots, n);
    }

    /** Copies a slot's {@code size*size*3} HWC bytes into {@code dest} at {@code offset}. Thread-safe. */
    public void copyPixels(int slot, byte[] dest, int offset) {
        if (!readable[slot]) {
            throw new IllegalArgumentException(images.get(slot).path() + " is unreadable and has no pixels in the cache");
        }
        ByteBuffer chunk = chunks[slot / imagesPerChunk];
        chunk.get((slot % imagesPerChunk) * imageBytes, dest, offset, imageBytes);
    }

    /** A slot's HWC bytes. */
    public byte[] pixels(int slot) {
        byte[] out = new byte[imageBytes];
        copyPixels(slot, out, 0);
        return out;
    }

    /**
     * Per-channel mean and standard deviation of the given slots' pixels, in the 0..1 scale: the data set's
     * own normalisation (use the training slots only, so validation stays unseen).
     */
    public Normalization statistics(int[] slots) {
        if (slots.length == 0) {
            throw new IllegalArgumentException("statistics need at least one image");
        }
        long[][] histogram = new long[3][256];
        byte[] buf = new byte[imageBytes];
        for (int slot : slots) {
            copyPixels(slot, buf, 0);
            for (int i = 0; i < imageBytes; i += 3) {
                histogram[0][buf[i] & 0xff]++;
                histogram[1][buf[i + 1] & 0xff]++;
                histogram[2][buf[i + 2] & 0xff]++;
            }
        }
        float[] mean = new float[3];
        float[] std = new float[3];
        for (int c = 0; c < 3; c++) {
            double n = 0;
            double sum = 0;
            double sumSq = 0;
            for (int v = 0; v < 256; v++) {
                double x = v / 255.0;
                n += histogram[c][v];
                sum += histogram[c][v] * x;
                sumSq += histogram[c][v] * x * x;
            }
            double m = sum / n;
            mean[c] = (float) m;
            // A constant channel would divide by zero when normalising; keep a floor.
            std[c] = (float) Math.max(Math.sqrt(Math.max(sumSq / n - m * m, 0)), 1e-3);
        }
        return new Normalization(mean, std);
    }

    /** A fingerprint of arbitrary images from their paths, labels, sizes and modification times. */
    static String fingerprintOf(List<CellImage> images) throws IOException {
        MessageDigest sha = sha256();
        for (CellImage image : images) {
            BasicFileAttributes attrs = Files.readAttributes(image.path(), BasicFileAttributes.class);
            sha.update((image.path().toAbsolutePath() + "\t" + image.label() + "\t" + attrs.size() + "\t"
                    + attrs.lastModifiedTime().toMillis() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static byte[] key(String fingerprint, int size, ResizeMethod method) {
        MessageDigest sha = sha256();
        sha.update(("smearscan-image-cache v" + VERSION + "\n" + fingerprint + "\n" + size + "\n" + method.name())
                .getBytes(StandardCharsets.UTF_8));
        return sha.digest();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    // ---------------------------------------------------------------- building

    private static void build(Path file, byte[] key, List<CellImage> images, int size, ResizeMethod method,
            int threads, boolean showProgress) throws IOException {
        int n = images.size();
        long imageBytes = 3L * size * size;
        long pixelEnd = HEADER_BYTES + n * imageBytes;
        Path tmp = Files.createTempFile(file.getParent(), ".building-", ".tmp");
        tmp.toFile().deleteOnExit();
        int[] crcs = new int[n];
        String[] problems = new String[n];
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE);
                    ProgressReporter progress = showProgress
                            ? ProgressReporter.start("Caching " + n + " images at " + size + " px", n, "img", 1)
                            : ProgressReporter.silent()) {
                writeFully(channel, header(key, n, size, method), 0);
                decodeAll(channel, images, size, method, threads, crcs, problems, progress);
                ByteBuffer trailer = trailer(crcs, problems);
                int trailerLength = trailer.remaining();
                CRC32C trailerCrc = new CRC32C();
                trailerCrc.update(trailer.duplicate());
                writeFully(channel, trailer, pixelEnd);
                ByteBuffer footer = ByteBuffer.allocate(FOOTER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
                footer.putLong(pixelEnd).putInt(trailerLength).putInt((int) trailerCrc.getValue()).put(COMPLETE).flip();
                channel.force(true);
                // The footer goes last, after the data is on disk: its presence means the rest is complete.
                writeFully(channel, footer, pixelEnd + trailerLength);
                channel.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        int bad = 0;
        for (String p : problems) {
            if (p != null) {
                bad++;
            }
        }
        if (bad > 0) {
            LOG.warn("{} of {} images could not be decoded and are left out (see the unreadable list)", bad, n);
        }
    }

    /** Decodes on {@code threads} threads; each writes its images at their own offsets. */
    private static void decodeAll(FileChannel channel, List<CellImage> images, int size, ResizeMethod method,
            int threads, int[] crcs, String[] problems, ProgressReporter progress) throws IOException {
        long imageBytes = 3L * size * size;
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "image-cache-decoder");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Void>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(() -> {
                    CRC32C crc = new CRC32C();
                    for (int i = next.getAndIncrement(); i < images.size(); i = next.getAndIncrement()) {
                        CellImage image = images.get(i);
                        try {
                            byte[] rgb = decode(image.path(), size, method);
                            crc.reset();
                            crc.update(rgb);
                            crcs[i] = (int) crc.getValue();
                            writeFully(channel, ByteBuffer.wrap(rgb), HEADER_BYTES + i * imageBytes);
                        } catch (UnreadableImageException e) {
                            problems[i] = e.problem();
                        }
                        progress.step(1);
                    }
                    return null;
                }));
            }
            for (Future<Void> worker : workers) {
                worker.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while building the image cache", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("building the image cache failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** One image, decoded to RGB and resized, as HWC bytes. */
    static byte[] decode(Path path, int size, ResizeMethod method) throws UnreadableImageException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UnreadableImageException(path.toString(), "cannot be read: " + e.getMessage());
        }
        try {
            return Transforms.resizeToRgb(ImageDecoding.decode(bytes, path.toString(), MAX_SOURCE_PIXELS), size, method);
        } catch (RuntimeException e) {
            throw new UnreadableImageException(path.toString(), "cannot be resized: " + e);
        }
    }

    private static ByteBuffer header(byte[] key, int count, int size, ResizeMethod method) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putInt(VERSION).putInt(count).putInt(size).putInt(method.ordinal()).put(key);
        b.position(HEADER_BYTES);
        return b.flip();
    }

    private static ByteBuffer trailer(int[] crcs, String[] problems) {
        List<byte[]> texts = new ArrayList<>();
        int bytes = crcs.length * 5 + 4;
        for (int i = 0; i < problems.length; i++) {
            if (problems[i] != null) {
                byte[] text = problems[i].getBytes(StandardCharsets.UTF_8);
                texts.add(text);
                bytes += 8 + text.length;
            }
        }
        ByteBuffer b = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (String p : problems) {
            b.put((byte) (p == null ? 1 : 0));
        }
        for (int crc : crcs) {
            b.putInt(crc);
        }
        b.putInt(texts.size());
        int t = 0;
        for (int i = 0; i < problems.length; i++) {
            if (problems[i] != null) {
                byte[] text = texts.get(t++);
                b.putInt(i).putInt(text.length).put(text);
            }
        }
        return b.flip();
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            at += channel.write(buffer, at);
        }
    }

    // ---------------------------------------------------------------- loading

    /** The file is not a complete cache for these images; the message says why. */
    static final class CorruptCacheException extends IOException {
        CorruptCacheException(String message) {
            super(message);
        }
    }

    private static ImageCache load(Path file, byte[] key, List<CellImage> images, int size, ResizeMethod method,
            boolean verify, Origin origin, String rebuildReason) throws IOException {
        int n = images.size();
        long imageBytes = 3L * size * size;
        long pixelEnd = HEADER_BYTES + n * imageBytes;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long length = channel.size();
            if (length < pixelEnd + FOOTER_BYTES) {
                throw new CorruptCacheException("file is truncated: " + length + " bytes, expected more than " + pixelEnd);
            }
            ByteBuffer header = read(channel, 0, HEADER_BYTES);
            byte[] magic = new byte[MAGIC.length];
            header.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new CorruptCacheException("not a SmearScan image cache (bad magic)");
            }
            int version = header.getInt();
            int count = header.getInt();
            int side = header.getInt();
            int methodOrdinal = header.getInt();
            byte[] storedKey = new byte[key.length];
            header.get(storedKey);
            if (version != VERSION || count != n || side != size || methodOrdinal != method.ordinal()
                    || !Arrays.equals(storedKey, key)) {
                throw new CorruptCacheException("header does not match these images, size and resize method");
            }
            ByteBuffer footer = read(channel, length - FOOTER_BYTES, FOOTER_BYTES);
            long trailerOffset = footer.getLong();
            int trailerLength = footer.getInt();
            int trailerCrc = footer.getInt();
            byte[] complete = new byte[COMPLETE.length];
            footer.get(complete);
            if (!Arrays.equals(complete, COMPLETE) || trailerOffset != pixelEnd
                    || trailerOffset + trailerLength + FOOTER_BYTES != length) {
                throw new CorruptCacheException("file is incomplete (no completion marker)");
            }
            ByteBuffer trailer = read(channel, trailerOffset, trailerLength);
            CRC32C crc = new CRC32C();
            crc.update(trailer.duplicate());
            if ((int) crc.getValue() != trailerCrc) {
                throw new CorruptCacheException("trailer checksum mismatch");
            }
            boolean[] readable = new boolean[n];
            for (int i = 0; i < n; i++) {
                readable[i] = trailer.get() == 1;
            }
            int[] crcs = new int[n];
            for (int i = 0; i < n; i++) {
                crcs[i] = trailer.getInt();
            }
            List<Unreadable> unreadable = new ArrayList<>();
            int problems = trailer.getInt();
            for (int p = 0; p < problems; p++) {
                int index = trailer.getInt();
                byte[] text = new byte[trailer.getInt()];
                trailer.get(text);
                unreadable.add(new Unreadable(images.get(index), new String(text, StandardCharsets.UTF_8)));
            }
            int perChunk = (int) Math.max(1, MAX_CHUNK_BYTES / imageBytes);
            int chunkCount = Math.max(1, (n + perChunk - 1) / perChunk);
            ByteBuffer[] chunks = new ByteBuffer[chunkCount];
            for (int c = 0; c < chunkCount; c++) {
                int first = c * perChunk;
                int inChunk = Math.min(perChunk, n - first);
                MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY,
                        HEADER_BYTES + first * imageBytes, inChunk * imageBytes);
                chunks[c] = mapped;
            }
            if (verify) {
                verifyPixels(chunks, perChunk, (int) imageBytes, readable, crcs, images);
            }
            return new ImageCache(file, images, size, method, readable, unreadable, chunks, perChunk, origin,
                    rebuildReason);
        }
    }

    private static void verifyPixels(ByteBuffer[] chunks, int perChunk, int imageBytes, boolean[] readable,
            int[] crcs, List<CellImage> images) throws CorruptCacheException {
        CRC32C crc = new CRC32C();
        for (int i = 0; i < readable.length; i++) {
            if (!readable[i]) {
                continue;
            }
            ByteBuffer view = chunks[i / perChunk].duplicate();
            int at = (i % perChunk) * imageBytes;
            view.limit(at + imageBytes).position(at);
            crc.reset();
            crc.update(view);
            if ((int) crc.getValue() != crcs[i]) {
                throw new CorruptCacheException("pixels of " + images.get(i).path().getFileName() + " fail their checksum");
            }
        }
    }

    private static ByteBuffer read(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        long at = position;
        while (b.hasRemaining()) {
            int r = channel.read(b, at);
            if (r < 0) {
                throw new CorruptCacheException("file ends early");
            }
            at += r;
        }
        return b.flip();
    }
}
