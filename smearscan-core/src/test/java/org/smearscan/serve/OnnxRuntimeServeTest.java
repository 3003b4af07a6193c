package org.smearscan.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.smearscan.inference.CellClassifier;
import org.smearscan.inference.EngineKind;
import org.smearscan.inference.Prediction;
import org.smearscan.serve.TestHttp.Answer;
import org.smearscan.serve.TestHttp.Part;
import org.smearscan.testing.TestModels;

/** The service on ONNX Runtime: the PyTorch engine's answers, and a clear refusal of heatmaps. */
class OnnxRuntimeServeTest {
    private static CellClassifier classifier;
    private static ScreeningServer server;
    private static TestHttp http;

    @BeforeAll
    static void start() throws IOException {
        classifier = CellClassifier.load(TestModels.trained(), EngineKind.ONNXRUNTIME);
        server = ScreeningServer.start(classifier, ServeOptions.defaults().withPort(0));
        http = new TestHttp(server.port());
    }

    @AfterAll
    static void stop() {
        server.close();
        classifier.close();
    }

    @Test
    void answersAsThePyTorchEngineDoes() throws IOException {
        List<BufferedImage> cells = new ArrayList<>(TestModels.cells(31, 3, true));
        cells.addAll(TestModels.cells(32, 3, false));
        List<Part> parts = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            parts.add(Part.image("cell-" + i + ".png", TestHttp.png(cells.get(i))));
        }
        Answer answer = http.multipart("/api/v1/classify", parts);
        assertThat(answer.status()).as(answer.response().body()).isEqualTo(200);
        JsonNode results = answer.json().get("results");
        try (CellClassifier pytorch = CellClassifier.load(TestModels.trained())) {
            List<Prediction> expected = pytorch.predictAll(cells);
            for (int i = 0; i < cells.size(); i++) {
                JsonNode r = results.get(i);
                assertThat(r.get("label").asText()).isEqualTo(expected.get(i).label());
                assertThat(r.get("parasitizedProbability").asDouble())
                        .isCloseTo(expected.get(i).parasitizedProbability(), within(1e-4));
                assertThat(r.get("modelId").asText()).isEqualTo(pytorch.modelId());
            }
        }
        assertThat(http.get("/api/v1/model").json().get("engine").asText()).isEqualTo("onnxruntime");
    }

    @Test
    void heatmapsAreRefusedSayingWhy() {
        BufferedImage cell = TestModels.cells(33, 1, true).get(0);
        Answer answer = http.multipart("/api/v1/classify?heatmap=true", List.of(Part.image("c.png", TestHttp.png(cell))));
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().get("error").asText()).contains("Grad-CAM").contains("--engine pytorch");
        assertThat(http.get("/health").status()).isEqualTo(200);
    }
}
