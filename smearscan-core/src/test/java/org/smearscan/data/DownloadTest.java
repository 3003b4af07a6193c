package org.smearscan.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smearscan.testing.SyntheticCells;

/** The whole download path against a local HTTP server serving a small archive built here. */
class DownloadTest {
    @TempDir
    Path tmp;
    HttpServer server;
    byte[] zip;
    /** Range header of every request to /cells.zip ("" when none). */
    final List<String> ranges = Collections.synchronizedList(new ArrayList<>());
    /** The next this-many responses stop after {@link #cutAfter} bytes. */
    final AtomicInteger cutsLeft = new AtomicInteger();
    volatile int cutAfter;

    @BeforeEach
    void start() throws IOException {
        zip = archive(List.of("cell_images/", "cell_images/Parasitized/", "cell_images/Uninfected/"),
                List.of("cell_images/Parasitized/C101P1ThinF_IMG_1_cell_1.png",
                        "cell_images/Parasitized/C101P1ThinF_IMG_1_cell_2.png",
                        "cell_images/Uninfected/C5NThinF_IMG_1_cell_1.png",
                        "cell_images/Uninfected/C6NThinF_IMG_1_cell_1.png"),
                List.of("cell_images/Parasitized/Thumbs.db", "cell_images/Uninfected/Thumbs.db"));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/cells.zip", this::serveWithRanges);
        server.createContext("/no-ranges.zip", ex -> {
            send(ex, 200, zip, 0, zip.length);
        });
        server.createContext("/missing.zip", ex -> send(ex, 404, new byte[0], 0, 0));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void serveWithRanges(HttpExchange ex) throws IOException {
        String range = ex.getRequestHeaders().getFirst("Range");
        ranges.add(range == null ? "" : range);
        int from = 0;
        if (range != null) {
            from = Integer.parseInt(range.replace("bytes=", "").replace("-", ""));
            if (from >= zip.length) {
                send(ex, 416, new byte[0], 0, 0);
                return;
            }
            ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (zip.length - 1) + "/" + zip.length);
        }
        int status = range == null ? 200 : 206;
        if (cutsLeft.getAndDecrement() > 0) {
            // Promise the whole rest, send a part, then drop the connection.
            ex.sendResponseHeaders(status, zip.length - from);
            OutputStream out = ex.getResponseBody();
            out.write(zip, from, Math.min(cutAfter, zip.length - from));
            out.flush();
            try {
                out.close(); // fewer bytes than promised: the server closes the connection
            } catch (IOException expected) {
                // "insufficient bytes written": exactly the cut we want
            }
            return;
        }
        send(ex, status, zip, from, zip.length - from);
    }

    private static void send(HttpExchange ex, int status, byte[] body, int from, int length) throws IOException {
        ex.sendResponseHeaders(status, length == 0 ? -1 : length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body, from, length);
        }
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private Download download(List<URI> urls, String sha) {
        return new Download(new Download.Source(urls, zip.length, sha, "cell_images.zip")).progress(false)
                .retryPause(Duration.ZERO).timeouts(Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    @Test
    void cutConnectionIsResumedAndTheImagesExtracted() throws Exception {
        // A raw socket server, so the connection really drops mid-body (as on a flaky network).
        try (CuttingServer cutting = new CuttingServer(zip, 2, zip.length / 3)) {
            Path dir = tmp.resolve("home");
            Path images = download(List.of(cutting.url()), sha(zip)).run(dir);
            assertThat(images).isEqualTo(dir.toAbsolutePath().resolve("cell_images"));
            int cut = zip.length / 3;
            assertThat(cutting.ranges).containsExactly("", "bytes=" + cut + "-", "bytes=" + 2 * cut + "-");
            CellDataset dataset = CellDataset.scan(images);
            assertThat(dataset.countsPerClass()).containsExactly(2, 2);
            assertThat(dataset.skipped()).as("Thumbs.db is not extracted").isEmpty();
            assertThat(listing(dir)).containsExactly("cell_images");
        }
    }

    @Test
    void aStalledConnectionTimesOutAndIsResumed() throws IOException {
        // The HTTP server promises the whole file, sends a third and then goes silent until the read timeout.
        cutsLeft.set(1);
        cutAfter = zip.length / 3;
        Path dir = tmp.resolve("home");
        Path archive = download(List.of(url("/cells.zip")), sha(zip))
                .timeouts(Duration.ofSeconds(2), Duration.ofMillis(500)).fetch(dir);
        assertThat(ranges).containsExactly("", "bytes=" + cutAfter + "-");
        assertThat(Files.readAllBytes(archive)).isEqualTo(zip);
    }

    @Test
    void anExistingPartFileIsResumed() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("home"));
        Files.write(dir.resolve("cell_images.zip.part"), java.util.Arrays.copyOf(zip, 100));
        Path archive = download(List.of(url("/cells.zip")), sha(zip)).fetch(dir);
        assertThat(ranges).containsExactly("bytes=100-");
        assertThat(Files.readAllBytes(archive)).isEqualTo(zip);
        assertThat(listing(dir)).containsExactly("cell_images.zip");
    }

    @Test
    void aServerWithoutRangesRestartsFromTheBeginning() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("home"));
        byte[] junk = new byte[100];
        new Random(1).nextBytes(junk);
        Files.write(dir.resolve("cell_images.zip.part"), junk);
        Path archive = download(List.of(url("/no-ranges.zip")), sha(zip)).fetch(dir);
        assertThat(Files.readAllBytes(archive)).isEqualTo(zip);
    }

    @Test
    void wrongChecksumIsRefusedAndNothingExtracted() throws IOException {
        Path dir = tmp.resolve("home");
        String wrong = sha("something else".getBytes());
        assertThatThrownBy(() -> download(List.of(url("/cells.zip")), wrong).run(dir))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("SHA-256 is " + sha(zip))
                .hasMessageContaining("expected " + wrong);
        assertThat(listing(dir)).as("no archive, no part file, no folder").isEmpty();
    }

    @Test
    void fallbackAddressIsUsedWhenTheFirstFails() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Path dir = tmp.resolve("home");
        Path images = download(List.of(url("/missing.zip"), URI.create("http://127.0.0.1:" + closedPort + "/x.zip"),
                url("/cells.zip")), sha(zip)).run(dir);
        assertThat(CellDataset.scan(images).images()).hasSize(4);
    }

    @Test
    void whenEveryAddressFailsTheErrorNamesThemAndKeepsThePart() throws IOException {
        cutsLeft.set(100);
        cutAfter = 50;
        Path dir = tmp.resolve("home");
        Download d = download(List.of(url("/missing.zip"), url("/cells.zip")), sha(zip)).attemptsPerUrl(2)
                .timeouts(Duration.ofSeconds(2), Duration.ofMillis(300));
        assertThatThrownBy(() -> d.run(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining("/missing.zip: HTTP 404")
                .hasMessageContaining("/cells.zip: gave up after 2 tries")
                .hasMessageContaining("100 bytes received are kept");
        assertThat(listing(dir)).containsExactly("cell_images.zip.part");
        // The next run resumes from those 100 bytes.
        cutsLeft.set(0);
        ranges.clear();
        download(List.of(url("/cells.zip")), sha(zip)).run(dir);
        assertThat(ranges).containsExactly("bytes=100-");
        assertThat(listing(dir)).containsExactly("cell_images");
    }

    @Test
    void zipSlipEntryIsRefusedBeforeAnythingIsWritten() throws IOException {
        byte[] evil = archive(List.of(), List.of("cell_images/Parasitized/C1P1ThinF_ok.png", "cell_images/../../evil.png"),
                List.of());
        Path dir = Files.createDirectories(tmp.resolve("home").resolve("data"));
        Path evilZip = tmp.resolve("evil.zip");
        Files.write(evilZip, evil);
        assertThatThrownBy(() -> Download.extract(evilZip, dir)).isInstanceOf(IOException.class)
                .hasMessageContaining("cell_images/../../evil.png").hasMessageContaining("zip-slip");
        assertThat(listing(dir)).isEmpty();
        try (Stream<Path> all = Files.walk(tmp)) {
            assertThat(all.filter(p -> p.getFileName().toString().equals("evil.png"))).isEmpty();
        }
        byte[] absolute = archive(List.of(), List.of("/tmp/abs.png"), List.of());
        Files.write(evilZip, absolute);
        assertThatThrownBy(() -> Download.extract(evilZip, dir)).hasMessageContaining("zip-slip");
    }

    @Test
    void aBrokenArchiveGivesAClearErrorAndNoFolder() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("home"));
        Path notZip = tmp.resolve("cell_images.zip");
        Files.writeString(notZip, "this is not a zip");
        assertThatThrownBy(() -> Download.extract(notZip, dir)).isInstanceOf(IOException.class)
                .hasMessageContaining("not a readable zip archive");
        assertThat(listing(dir)).isEmpty();
    }

    @Test
    void anExtractedFolderIsNotDownloadedAgain() throws IOException {
        Path dir = tmp.resolve("home");
        Files.createDirectories(dir.resolve("cell_images"));
        assertThat(download(List.of(url("/cells.zip")), sha(zip)).run(dir)).isEqualTo(dir.resolve("cell_images"));
        assertThat(ranges).isEmpty();
    }

    @Test
    void theNihSourceIsTheDocumentedArchive() {
        Download.Source nih = Download.Source.nih();
        assertThat(nih.urls()).extracting(URI::toString).containsExactly(
                "https://data.lhncbc.nlm.nih.gov/public/Malaria/cell_images.zip",
                "https://ceb.nlm.nih.gov/proj/malaria/cell_images.zip");
        assertThat(nih.size()).isEqualTo(353_452_851L);
        assertThat(nih.sha256()).isEqualTo("0a949556b2414159b5100192609805376654c4266d8d187be9b1922fad43c668");
    }

    /** Serves one file over raw sockets; the first {@code cuts} responses close the socket after {@code cutAfter} bytes. */
    static final class CuttingServer implements AutoCloseable {
        final List<String> ranges = Collections.synchronizedList(new ArrayList<>());
        private final ServerSocket socket;
        private final Thread thread;

        CuttingServer(byte[] body, int cuts, int cutAfter) throws IOException {
            socket = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
            AtomicInteger left = new AtomicInteger(cuts);
            thread = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (java.net.Socket client = socket.accept()) {
                        java.io.BufferedReader in = new java.io.BufferedReader(
                                new java.io.InputStreamReader(client.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII));
                        String range = "";
                        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("range:")) {
                                range = line.substring(6).trim();
                            }
                        }
                        ranges.add(range);
                        int from = range.isEmpty() ? 0 : Integer.parseInt(range.replace("bytes=", "").replace("-", ""));
                        String head = (from == 0 ? "HTTP/1.1 200 OK\r\n" : "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes "
                                + from + "-" + (body.length - 1) + "/" + body.length + "\r\n")
                                + "Content-Length: " + (body.length - from) + "\r\nConnection: close\r\n\r\n";
                        OutputStream out = client.getOutputStream();
                        out.write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                        int length = left.getAndDecrement() > 0 ? Math.min(cutAfter, body.length - from) : body.length - from;
                        out.write(body, from, length);
                        out.flush();
                    } catch (IOException e) {
                        // closed by the test, or the client went away
                    }
                }
            }, "cutting-server");
            thread.setDaemon(true);
            thread.start();
        }

        URI url() {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/cell_images.zip");
        }

        @Override
        public void close() throws Exception {
            socket.close();
            thread.join(5_000);
        }
    }

    private static List<String> listing(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(dir)) {
            return children.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static byte[] archive(List<String> folders, List<String> images, List<String> others) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Random rnd = new Random(5);
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (String f : folders) {
                out.putNextEntry(new ZipEntry(f));
                out.closeEntry();
            }
            for (String name : images) {
                out.putNextEntry(new ZipEntry(name));
                ImageIO.write(SyntheticCells.cell(rnd, name.contains("Parasitized"), 40, 44), "png", out);
                out.closeEntry();
            }
            for (String name : others) {
                out.putNextEntry(new ZipEntry(name));
                out.write(new byte[] {1, 2, 3});
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static String sha(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
