package org.smearscan.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.smearscan.inference.CellClassifier;
import org.smearscan.inference.EngineKind;
import org.smearscan.serve.ScreeningServer;
import org.smearscan.serve.ServeOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run the screening web service: a page at /, POST /api/v1/classify, GET /api/v1/model,"
                + " /health and /metrics. Stop it with Ctrl-C."})
final class ServeCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL",
            description = "Model file (*.smear; with --engine onnxruntime also an exported *.onnx).")
    Path model;

    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "pytorch", converter = EngineOption.class,
            description = EngineOption.DESCRIPTION + " With onnxruntime, requests for heatmaps get 400.")
    EngineKind engine;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for the network).")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "Port (default: ${DEFAULT-VALUE}; 0 for any free one).")
    int port;

    @Option(names = "--max-batch", defaultValue = "" + ServeOptions.DEFAULT_MAX_BATCH, description = "Most images per forward pass (default: ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--max-wait-ms", defaultValue = "" + ServeOptions.DEFAULT_MAX_WAIT_MS,
            description = "How long an image waits for others to share its forward pass; images that arrive while"
                    + " one runs share the next anyway (default: ${DEFAULT-VALUE}).")
    int maxWaitMs;

    @Option(names = "--queue", defaultValue = "256",
            description = "Images that may wait for the model; more get 503 (default: ${DEFAULT-VALUE}).")
    int queue;

    @Option(names = "--max-upload-mb", defaultValue = "20", description = "Largest request body in MiB (default: ${DEFAULT-VALUE}).")
    int maxUploadMb;

    @Option(names = "--max-files", defaultValue = "64", description = "Most images per request (default: ${DEFAULT-VALUE}).")
    int maxFiles;

    @Option(names = "--max-pixels", defaultValue = "4000000",
            description = "Largest image, width x height, checked before decoding (default: ${DEFAULT-VALUE}).")
    long maxPixels;

    @Override
    public Integer call() throws Exception {
        ServeOptions options = new ServeOptions(host, port, maxBatch, maxWaitMs, queue, (long) maxUploadMb << 20,
                maxFiles, maxPixels);
        CellClassifier classifier = CellClassifier.load(model, engine);
        ScreeningServer server;
        try {
            server = ScreeningServer.start(classifier, options);
        } catch (RuntimeException e) {
            classifier.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            classifier.close();
            stopped.countDown();
        }, "smearscan-shutdown"));
        spec.commandLine().getOut().printf("SmearScan is serving model %s (%s, %d px, %s) at %s  (Ctrl-C to stop)%n",
                classifier.modelId(), classifier.info().spec().architecture(), classifier.info().imageSize(),
                classifier.engine().cliName(), server.url());
        spec.commandLine().getOut().flush();
        stopped.await();
        return 0;
    }
}
