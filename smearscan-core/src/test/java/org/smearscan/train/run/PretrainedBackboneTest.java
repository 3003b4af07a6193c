package org.smearscan.train.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smearscan.model.Architecture;
import org.smearscan.model.TorchScriptBody;

/**
 * The download path of {@code --pretrained}, against a server on 127.0.0.1 that serves the small test
 * backbone (nothing here is ImageNet; the real address is only used online).
 */
class PretrainedBackboneTest {
    /** A two-stage TorchScript body (see TorchScriptBackboneTest). */
    private static final Path FIXTURE = Path.of("src/test/resources/backbones/mini2stage.pt");

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private final java.util.List<String> methods = new java.util.concurrent.CopyOnWriteArrayList<>();
    private String previousCache;

    @BeforeEach
    void serve(@TempDir Path cache) throws Exception {
        Engine.getInstance(); // natives load from the usual place before the cache moves
        previousCache = System.getProperty("DJL_CACHE_DIR");
        System.setProperty("DJL_CACHE_DIR", cache.toString());
        // DJL's model zoo takes archives over http (a bare .pt address is read as a model server)
        java.io.ByteArrayOutputStream zip = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(zip)) {
            out.putNextEntry(new java.util.zip.ZipEntry("mini2stage.pt"));
            out.write(Files.readAllBytes(FIXTURE));
            out.closeEntry();
        }
        byte[] body = zip.toByteArray();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/models/mini2stage.zip", exchange -> {
            methods.add(exchange.getRequestMethod());
            if ("HEAD".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().add("Content-Length", Integer.toString(body.length));
                exchange.sendResponseHeaders(200, -1);
            } else {
                requests.incrementAndGet();
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        if (previousCache == null) {
            System.clearProperty("DJL_CACHE_DIR");
        } else {
            System.setProperty("DJL_CACHE_DIR", previousCache);
        }
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Test
    void downloadsOnceThenUsesTheCache() throws Exception {
        String offlineBefore = System.getProperty("ai.djl.offline");
        PretrainedBackbone.Fetched first = PretrainedBackbone.fetch(url("/models/mini2stage.zip"));
        assertThat(first.file()).startsWith(Path.of(System.getProperty("DJL_CACHE_DIR")));
        assertThat(first.sha256()).isEqualTo(PretrainedBackbone.sha256(FIXTURE));
        assertThat(System.getProperty("ai.djl.offline")).isEqualTo(offlineBefore);
        try (NDManager manager = NDManager.newBaseManager()) {
            assertThat(TorchScriptBody.load(first.file(), manager).featureChannels(32)).isEqualTo(16);
        }
        int served = requests.get();
        assertThat(served).isPositive();
        PretrainedBackbone.fetch(url("/models/mini2stage.zip"));
        assertThat(requests.get()).as("second fetch comes from the cache; requests: %s", methods).isEqualTo(served);
    }

    @Test
    void aMissingModelIsAClearError() {
        assertThatThrownBy(() -> PretrainedBackbone.fetch(url("/models/absent.zip")))
                .hasMessageContaining("cannot fetch the pretrained backbone http://127.0.0.1:");
    }

    @Test
    void onlyKnownWeightsAndArchitectures() {
        assertThat(PretrainedBackbone.urlFor("imagenet", Architecture.RESNET18)).startsWith("djl://");
        assertThatThrownBy(() -> PretrainedBackbone.urlFor("imagenet", Architecture.COMPACT))
                .hasMessageContaining("--backbone FILE");
        assertThatThrownBy(() -> PretrainedBackbone.urlFor("cifar", Architecture.RESNET18))
                .hasMessageContaining("'cifar'");
    }
}
