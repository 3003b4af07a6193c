package org.smearscan.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.smearscan.io.AtomicFiles;

/**
 * Fetches and unpacks the NIH cell image archive: resumes an interrupted download (HTTP Range on a
 * {@code .part} file), tries the next address when one fails, checks the SHA-256 before anything is
 * extracted, refuses archive entries that would land outside the target folder, and never leaves a
 * half-written file or folder under its final name.
 *
 * <p>It uses {@link HttpURLConnection} rather than {@code java.net.http.HttpClient} because it has a read
 * timeout: a stalled connection fails and is resumed instead of hanging the command.
 */
public final class Download {
    private static final Logger LOG = LoggerFactory.getLogger(Download.class);
    private static final int MAX_REDIRECTS = 5;
    private static final int BUFFER = 1 << 16;

    /** Where to get an archive, how big it is and its SHA-256. */
    public record Source(List<URI> urls, long size, String sha256, String fileName) {
        public Source {
            urls = List.copyOf(urls);
            if (urls.isEmpty()) {
                throw new IllegalArgumentException("a download needs at least one address");
            }
            if (size <= 0) {
                throw new IllegalArgumentException("the expected size must be positive");
            }
            sha256 = sha256.toLowerCase(Locale.ROOT);
            if (!sha256.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("not a SHA-256: " + sha256);
            }
            if (!fileName.endsWith(".zip") || fileName.contains("/") || fileName.contains("\\")) {
                throw new IllegalArgumentException("the archive name must be a plain *.zip name: " + fileName);
            }
        }

        /** The NIH/NLM malaria cell images, 353 MB, from the NLM server with the older address as fallback. */
        public static Source nih() {
            return new Source(List.of(URI.create("https://data.lhncbc.nlm.nih.gov/public/Malaria/cell_images.zip"),
                    URI.create("https://ceb.nlm.nih.gov/proj/malaria/cell_images.zip")),
                    353_452_851L, "0a949556b2414159b5100192609805376654c4266d8d187be9b1922fad43c668", "cell_images.zip");
        }

        public String folderName() {
            return fileName.substring(0, fileName.length() - ".zip".length());
        }
    }

    private final Source source;
    private int attemptsPerUrl = 4;
    private Duration connectTimeout = Duration.ofSeconds(30);
    private Duration readTimeout = Duration.ofSeconds(60);
    private Duration retryPause = Duration.ofSeconds(2);
    private boolean progress = true;
    private boolean keepZip;

    public Download(Source source) {
        this.source = Objects.requireNonNull(source);
    }

    /** Tries per address before moving to the next (default 4); each try resumes where the last stopped. */
    public Download attemptsPerUrl(int attempts) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1");
        }
        this.attemptsPerUrl = attempts;
        return this;
    }

    /** Connect and read timeouts (defaults 30 s and 60 s); a read that stalls this long is retried. */
    public Download timeouts(Duration connect, Duration read) {
        this.connectTimeout = connect;
        this.readTimeout = read;
        return this;
    }

    /** Pause between tries (default 2 s). */
    public Download retryPause(Duration pause) {
        this.retryPause = pause;
        return this;
    }

    public Download progress(boolean progress) {
        this.progress = progress;
        return this;
    }

    /** Keep the verified archive after extracting it (default: delete it). */
    public Download keepZip(boolean keepZip) {
        this.keepZip = keepZip;
        return this;
    }

    /**
     * Downloads (or resumes), verifies and extracts into {@code dir}. Does nothing when the extracted folder
     * is already there.
     *
     * @return the extracted data set folder, e.g. {@code dir/cell_images}
     */
    public Path run(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path target = dir.resolve(source.folderName());
        if (Files.isDirectory(target)) {
            LOG.info("{} already exists; nothing to download", target);
            return target;
        }
        Path zip = fetch(dir);
        Path extracted = extract(zip, dir);
        if (!keepZip) {
            Files.deleteIfExists(zip);
        }
        return extracted;
    }

    /**
     * Makes {@code dir/<fileName>} a verified copy of the archive, downloading what is missing.
     *
     * @return the archive
     * @throws IOException when no address gives the expected bytes; it names each address and its failure
     */
    public Path fetch(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path zip = dir.resolve(source.fileName());
        if (Files.exists(zip)) {
            String sha = sha256(zip);
            if (sha.equals(source.sha256())) {
                return zip;
            }
            throw new IOException(zip + " exists but its SHA-256 is " + sha + ", expected " + source.sha256()
                    + "; delete it and run again");
        }
        Path part = dir.resolve(source.fileName() + ".part");
        checkFreeSpace(dir, part);
        List<String> failures = new ArrayList<>();
        try (ProgressReporter bar = progress
                ? ProgressReporter.start("Downloading " + source.fileName(), source.size(), "MB", 1 << 20)
                : ProgressReporter.silent()) {
            for (URI url : source.urls()) {
                try {
                    downloadFrom(url, part, bar);
                    String sha = sha256(part);
                    if (sha.equals(source.sha256())) {
                        AtomicFiles.move(part, zip);
                        return zip;
                    }
                    // Complete but wrong: resuming would keep the bad bytes, so start afresh elsewhere.
                    Files.deleteIfExists(part);
                    failures.add(url + ": the file's SHA-256 is " + sha + ", expected " + source.sha256()
                            + " (the bad copy was deleted)");
                } catch (IOException e) {
                    failures.add(url + ": " + describe(e));
                    LOG.warn("Download from {} failed: {}", url, describe(e));
                }
            }
        }
        String kept = Files.exists(part) ? " The " + Files.size(part) + " bytes received are kept in " + part
                + "; running again resumes from there." : "";
        throw new IOException("could not download " + source.fileName() + ": " + String.join("; ", failures) + "." + kept);
    }

    /** Fills {@code part} to the expected size from one address, resuming after cut connections. */
    private void downloadFrom(URI url, Path part, ProgressReporter bar) throws IOException {
        IOException last = null;
        for (int attempt = 1; attempt <= attemptsPerUrl; attempt++) {
            long have = Files.exists(part) ? Files.size(part) : 0;
            if (have > source.size()) {
                Files.delete(part);
                have = 0;
            }
            if (have == source.size()) {
                return;
            }
            bar.stepTo(have);
            try {
                if (receive(url, part, have, bar)) {
                    return;
                }
            } catch (HttpStatusException e) {
                throw e; // the server said no: trying again will not help
            } catch (IOException e) {
                last = e;
                long now = Files.exists(part) ? Files.size(part) : 0;
                if (now > have) {
                    LOG.warn("Connection to {} lost after {} of {} bytes ({}); resuming", url, now, source.size(),
                            describe(e));
                } else {
                    LOG.warn("Try {} of {} at {} failed: {}", attempt, attemptsPerUrl, url, describe(e));
                }
            }
            if (attempt < attemptsPerUrl) {
                sleep(retryPause);
            }
        }
        throw new IOException("gave up after " + attemptsPerUrl + " tries" + (last != null ? ": " + describe(last) : ""),
                last);
    }

    /**
     * One request for the bytes from {@code have} on, appended to {@code part}.
     *
     * @return whether the file is now complete
     */
    private boolean receive(URI url, Path part, long have, ProgressReporter bar) throws IOException {
        HttpURLConnection connection = open(url, have);
        try {
            int status = connection.getResponseCode();
            boolean append;
            if (status == HttpURLConnection.HTTP_PARTIAL && have > 0) {
                String range = connection.getHeaderField("Content-Range");
                if (range == null || !range.startsWith("bytes " + have + "-")) {
                    throw new IOException("the server answered a resume from byte " + have + " with Content-Range " + range);
                }
                checkTotal(range);
                append = true;
            } else if (status == HttpURLConnection.HTTP_OK) {
                long length = connection.getContentLengthLong();
                if (length >= 0 && length != source.size()) {
                    throw new HttpStatusException(url + " offers " + length + " bytes, expected " + source.size());
                }
                append = false; // no resume support (or nothing to resume): start from the beginning
            } else if (status == 416 && have > 0) {
                Files.delete(part); // our partial file does not fit the server's: start over
                throw new IOException("the server refused to resume from byte " + have + "; starting over");
            } else {
                throw new HttpStatusException("HTTP " + status + " " + Objects.toString(connection.getResponseMessage(), ""));
            }
            long written = append ? have : 0;
            bar.stepTo(written);
            try (InputStream in = connection.getInputStream();
                    OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                            append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
                byte[] buffer = new byte[BUFFER];
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    if (written + n > source.size()) {
                        throw new HttpStatusException(url + " sends more than the expected " + source.size() + " bytes");
                    }
                    out.write(buffer, 0, n);
                    written += n;
                    bar.step(n);
                }
            }
            if (written < source.size()) {
                throw new IOException("the connection ended after " + written + " of " + source.size() + " bytes");
            }
            return true;
        } finally {
            connection.disconnect();
        }
    }

    /** Opens a GET, following redirects across http/https (HttpURLConnection alone does not). */
    private HttpURLConnection open(URI uri, long from) throws IOException {
        URL url = uri.toURL();
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpURLConnection c = (HttpURLConnection) url.openConnection();
            c.setConnectTimeout((int) connectTimeout.toMillis());
            c.setReadTimeout((int) readTimeout.toMillis());
            c.setInstanceFollowRedirects(false);
            c.setRequestProperty("User-Agent", "SmearScan");
            c.setRequestProperty("Accept-Encoding", "identity");
            if (from > 0) {
                c.setRequestProperty("Range", "bytes=" + from + "-");
            }
            int status = c.getResponseCode();
            if (status >= 300 && status < 400 && c.getHeaderField("Location") != null) {
                url = new URL(url, c.getHeaderField("Location"));
                c.disconnect();
                continue;
            }
            return c;
        }
        throw new HttpStatusException("more than " + MAX_REDIRECTS + " redirects");
    }

    private void checkTotal(String contentRange) throws IOException {
        int slash = contentRange.lastIndexOf('/');
        if (slash > 0 && !contentRange.endsWith("/*")) {
            long total = Long.parseLong(contentRange.substring(slash + 1).trim());
            if (total != source.size()) {
                throw new HttpStatusException("the server's file has " + total + " bytes, expected " + source.size());
            }
        }
    }

    private void checkFreeSpace(Path dir, Path part) throws IOException {
        long have = Files.exists(part) ? Files.size(part) : 0;
        // The rest of the archive plus about as much again once extracted.
        long needed = (source.size() - have) + source.size();
        long free = Files.getFileStore(dir).getUsableSpace();
        if (free < needed) {
            throw new IOException("not enough free space in " + dir + ": " + (needed >> 20) + " MB needed, "
                    + (free >> 20) + " MB free");
        }
    }

    /**
     * Extracts the images of an archive into {@code dir}: into a temporary folder first, renamed into place
     * when complete. Entries that are not images (Thumbs.db, hidden files) are skipped. An entry whose path
     * leaves the folder (zip-slip: {@code ../x}, an absolute path) makes the whole archive refused before
     * anything is written.
     *
     * @return the extracted folder: the archive's single top folder, or {@code dir/<archive name>}
     */
    public static Path extract(Path zip, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path root = dir.toAbsolutePath().normalize();
        removeStaleTemporaryFolders(root);
        Path tmp = Files.createTempDirectory(root, ".extract-");
        try (ZipFile archive = new ZipFile(zip.toFile())) {
            List<ZipEntry> entries = new ArrayList<>();
            for (Enumeration<? extends ZipEntry> e = archive.entries(); e.hasMoreElements();) {
                ZipEntry entry = e.nextElement();
                checkInside(zip, tmp, entry.getName());
                entries.add(entry);
            }
            long limit = 20 * Files.size(zip) + (100L << 20);
            long total = 0;
            int skipped = 0;
            for (ZipEntry entry : entries) {
                String name = entry.getName();
                String fileName = name.substring(name.lastIndexOf('/') + 1);
                if (entry.isDirectory()) {
                    continue;
                }
                if (fileName.startsWith(".") || name.startsWith("__MACOSX/") || !CellDataset.isImageFileName(fileName)) {
                    skipped++;
                    continue;
                }
                Path target = tmp.resolve(name).normalize();
                Files.createDirectories(target.getParent());
                try (InputStream in = archive.getInputStream(entry)) {
                    total += Files.copy(in, target);
                }
                if (total > limit) {
                    throw new IOException(zip + " expands to more than " + (limit >> 20)
                            + " MB; refusing it as a possible zip bomb");
                }
            }
            if (skipped > 0) {
                LOG.info("Skipped {} entries of {} that are not images (e.g. Thumbs.db)", skipped, zip.getFileName());
            }
            Path top = singleFolder(tmp);
            Path from = top != null ? top : tmp;
            String zipName = zip.getFileName().toString();
            Path destination = root.resolve(top != null ? top.getFileName().toString()
                    : zipName.substring(0, zipName.length() - ".zip".length()));
            if (Files.exists(destination)) {
                throw new IOException(destination + " already exists; move it away to extract " + zip + " again");
            }
            AtomicFiles.move(from, destination);
            return destination;
        } catch (java.util.zip.ZipException e) {
            throw new IOException(zip + " is not a readable zip archive: " + e.getMessage(), e);
        } finally {
            deleteTree(tmp);
        }
    }

    private static void checkInside(Path zip, Path tmp, String name) throws IOException {
        Path target = tmp.resolve(name).normalize();
        if (name.startsWith("/") || name.startsWith("\\") || name.contains("\\") || !target.startsWith(tmp)
                || name.matches("^[A-Za-z]:.*")) {
            throw new IOException("refusing to extract " + zip + ": its entry '" + name
                    + "' would be written outside the target folder (zip-slip); nothing was extracted");
        }
    }

    /** The only entry of {@code dir} when it is a folder, else null. */
    private static Path singleFolder(Path dir) throws IOException {
        try (Stream<Path> children = Files.list(dir)) {
            List<Path> all = children.toList();
            return all.size() == 1 && Files.isDirectory(all.get(0)) ? all.get(0) : null;
        }
    }

    /** Left by an extraction that was killed; they are never a finished result. */
    private static void removeStaleTemporaryFolders(Path dir) throws IOException {
        try (DirectoryStream<Path> stale = Files.newDirectoryStream(dir, ".extract-*")) {
            for (Path p : stale) {
                LOG.info("Removing {}, left by an interrupted extraction", p);
                deleteTree(p);
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** SHA-256 of a file, hex. */
    public static String sha256(Path file) throws IOException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    /** What went wrong, in words: some network exceptions carry only a host name as their message. */
    static String describe(IOException e) {
        if (e instanceof java.net.UnknownHostException) {
            return "cannot resolve the host " + e.getMessage() + " (no network or no DNS?)";
        }
        if (e instanceof java.net.ConnectException) {
            return "cannot connect (" + e.getMessage() + ")";
        }
        if (e instanceof java.net.SocketTimeoutException) {
            return "timed out (" + e.getMessage() + ")";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static void sleep(Duration pause) throws IOException {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** The server refused or sent something other than the file: retrying the same address is useless. */
    private static final class HttpStatusException extends IOException {
        HttpStatusException(String message) {
            super(message);
        }
    }
}
