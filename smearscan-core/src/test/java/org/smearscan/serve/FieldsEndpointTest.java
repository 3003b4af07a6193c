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
import org.smearscan.field.CellCall;
import org.smearscan.field.FieldResult;
import org.smearscan.field.FieldScreener;
import org.smearscan.inference.CellClassifier;
import org.smearscan.segment.CellSegmenter;
import org.smearscan.segment.SegmentationParameters;
import org.smearscan.segment.SegmentedCell;
import org.smearscan.serve.TestHttp.Answer;
import org.smearscan.serve.TestHttp.Part;
import org.smearscan.stats.Estimate;
import org.smearscan.testing.SyntheticFields;
import org.smearscan.testing.TestModels;

/** {@code POST /api/v1/fields} on generated fields: the count is FieldScreener's, bad input gets a 4xx. */
class FieldsEndpointTest {
    private static final int MAX_FILES = 3;

    private static CellClassifier classifier;
    private static ScreeningServer server;
    private static TestHttp http;
    private static SyntheticFields.Field field;
    private static byte[] fieldPng;

    @BeforeAll
    static void start() throws IOException {
        classifier = CellClassifier.load(TestModels.trained());
        server = ScreeningServer.start(classifier, ServeOptions.defaults().withPort(0)
                .withLimits(8L << 20, MAX_FILES, 2_000_000));
        http = new TestHttp(server.port());
        field = SyntheticFields.field(11);
        fieldPng = TestHttp.png(field.image());
    }

    @AfterAll
    static void stop() {
        server.close();
        classifier.close();
    }

    /** The generated field is one the segmentation reads as intended: every whole disc found, nothing else. */
    @Test
    void theSegmenterFindsTheGeneratedCells() {
        List<SyntheticFields.Disc> discs = field.discs();
        assertThat(discs.size()).isBetween(30, 60);
        List<SegmentedCell> found = new CellSegmenter(SegmentationParameters.DEFAULT).segment(field.image());
        int whole = 0;
        for (SyntheticFields.Disc d : discs) {
            if (!d.inside(1280, 960, 6)) {
                continue;
            }
            whole++;
            assertThat(found).as("a cell at (%.0f, %.0f)", d.x(), d.y()).anySatisfy(c -> {
                assertThat(Math.hypot(c.centerX() - d.x(), c.centerY() - d.y())).isLessThan(d.r() / 3);
                assertThat(c.radius()).isCloseTo(d.r(), within(d.r() / 4));
            });
        }
        assertThat(whole).isGreaterThanOrEqualTo(25);
        assertThat(found).as("no cell where no disc was drawn").allSatisfy(c -> assertThat(discs).anySatisfy(
                d -> assertThat(Math.hypot(c.centerX() - d.x(), c.centerY() - d.y())).isLessThan(d.r() / 2)));
        assertThat(found.stream().filter(SegmentedCell::cut).count()).as("cells cut by the edge").isPositive();
    }

    @Test
    void aFieldIsCountedAsFieldScreenerCountsIt() throws Exception {
        Answer answer = http.multipart("/api/v1/fields", List.of(Part.image("field-11.png", fieldPng)));

        assertThat(answer.status()).as(answer.response().body()).isEqualTo(200);
        JsonNode body = answer.json();
        assertThat(body.get("modelId").asText()).isEqualTo(classifier.modelId());
        assertThat(body.get("fields")).hasSize(1);
        JsonNode f = body.get("fields").get(0);
        FieldResult direct = FieldScreener.of(classifier).screen("field-11.png", field.image());
        assertThat(f.get("name").asText()).isEqualTo("field-11.png");
        assertThat(f.get("width").asInt()).isEqualTo(1280);
        assertThat(f.get("height").asInt()).isEqualTo(960);
        assertThat(f.get("cells").asInt()).isEqualTo(direct.countedCells()).isPositive();
        assertThat(f.get("infected").asInt()).isEqualTo(direct.infectedCells());
        assertThat(f.get("notACell").asInt()).isEqualTo(direct.notACell());
        Estimate p = direct.parasitemia();
        JsonNode percent = f.get("parasitemiaPercent");
        assertThat(percent.get("value").asDouble()).isCloseTo(100 * p.value(), within(1e-9));
        assertThat(percent.get("low").asDouble()).isCloseTo(100 * p.lo(), within(1e-9));
        assertThat(percent.get("high").asDouble()).isCloseTo(100 * p.hi(), within(1e-9));
        assertThat(f.get("seconds").asDouble()).isPositive();

        JsonNode cells = f.get("cellList");
        assertThat(cells).hasSize(direct.cells().size());
        int cut = 0;
        for (int i = 0; i < cells.size(); i++) {
            JsonNode c = cells.get(i);
            CellCall d = direct.cells().get(i);
            JsonNode box = c.get("box");
            assertThat(List.of(box.get("x").asInt(), box.get("y").asInt(), box.get("w").asInt(), box.get("h").asInt()))
                    .containsExactly(d.box().x(), d.box().y(), d.box().w(), d.box().h());
            assertThat(c.get("center").get("x").asDouble()).isCloseTo(d.centerX(), within(0.01));
            assertThat(c.get("center").get("y").asDouble()).isCloseTo(d.centerY(), within(0.01));
            assertThat(c.get("radius").asDouble()).isCloseTo(d.radius(), within(0.01));
            assertThat(c.get("modelId").asText()).isEqualTo(classifier.modelId());
            assertThat(c.get("call").asText()).isEqualTo(FieldJson.call(d)).isIn("uninfected", "infected", "cut");
            if (d.cut()) {
                cut++;
                assertThat(c.has("probability")).isTrue();
                assertThat(c.get("probability").isNull()).isTrue();
            } else {
                assertThat(c.get("probability").asDouble()).isCloseTo(d.parasitizedProbability(), within(1e-5));
            }
        }
        assertThat(cut).isPositive();
    }

    @Test
    void severalFieldsAndARawBodyAreAnswered() {
        SyntheticFields.Field other = SyntheticFields.field(12, 900, 700, 30);
        Answer two = http.multipart("/api/v1/fields", List.of(Part.image("a.png", fieldPng),
                Part.image("b.png", TestHttp.png(other.image()))));
        assertThat(two.status()).as(two.response().body()).isEqualTo(200);
        JsonNode fields = two.json().get("fields");
        assertThat(fields).hasSize(2);
        assertThat(fields.get(0).get("name").asText()).isEqualTo("a.png");
        assertThat(fields.get(1).get("name").asText()).isEqualTo("b.png");
        assertThat(fields.get(1).get("width").asInt()).isEqualTo(900);
        assertThat(fields.get(1).get("height").asInt()).isEqualTo(700);

        Answer raw = http.raw("/api/v1/fields?name=smear-3.png", "image/png", fieldPng);
        assertThat(raw.status()).isEqualTo(200);
        JsonNode f = raw.json().get("fields").get(0);
        assertThat(f.get("name").asText()).isEqualTo("smear-3.png");
        assertThat(f.get("cells").asInt()).isEqualTo(fields.get(0).get("cells").asInt());
        assertThat(f.get("cellList").toString()).isEqualTo(fields.get(0).get("cellList").toString());
    }

    @Test
    void badInputGets4xxWithAJsonErrorNamingTheFile() {
        BufferedImage crop = TestModels.cells(3, 1, true).get(0).getSubimage(0, 0, 64, 64);
        long before = server.metrics().fieldsScreened();

        expectError(http.multipart("/api/v1/fields", List.of(new Part("file", "notes.txt", "text/plain",
                "not an image".getBytes()))), 422, "notes.txt", "not an image");
        expectError(http.raw("/api/v1/fields?name=bomb.png", "image/png", TestHttp.decompressionBomb(100_000)),
                413, "bomb.png", "100000x100000", "field photograph");
        expectError(http.multipart("/api/v1/fields", List.of(Part.image("crop.png", TestHttp.png(crop)))),
                422, "crop.png", "64 x 64", "not a smear field", "/api/v1/classify");
        // every header is checked before any field is screened
        expectError(http.multipart("/api/v1/fields", List.of(Part.image("good.png", fieldPng),
                Part.image("bomb.png", TestHttp.decompressionBomb(50_000)))), 413, "bomb.png");
        assertThat(server.metrics().fieldsScreened()).isEqualTo(before);
        List<Part> tooMany = new ArrayList<>();
        for (int i = 0; i <= MAX_FILES; i++) {
            tooMany.add(Part.image("f" + i + ".png", fieldPng));
        }
        expectError(http.multipart("/api/v1/fields", tooMany), 413, (MAX_FILES + 1) + " files");
        expectError(http.multipart("/api/v1/fields", List.of(new Part("picture", "f.png", "image/png", fieldPng))),
                400, "no image", "'file'");
        expectError(http.raw("/api/v1/fields", "text/plain", "hello".getBytes()), 415, "text/plain");

        String metrics = http.get("/metrics").response().body();
        assertThat(ScreeningServerTest.value(metrics,
                "smearscan_http_requests_total{route=\"/api/v1/fields\",status=\"422\"}")).isGreaterThanOrEqualTo(2);
        assertThat(ScreeningServerTest.value(metrics, "smearscan_errors_total{type=\"not_a_field\"}"))
                .isGreaterThanOrEqualTo(1);
    }

    /** The cells of a field go through the service's batcher, in parts when they outnumber its queue. */
    @Test
    void aFieldsCellsShareTheBatcherEvenWhenTheyOutnumberItsQueue() throws Exception {
        FieldResult direct = FieldScreener.of(classifier).screen("f.png", field.image());
        long classified = direct.cells().stream().filter(c -> !c.cut()).count();
        assertThat(classified).isGreaterThan(8);
        try (ScreeningServer small = ScreeningServer.start(classifier, ServeOptions.defaults().withPort(0)
                .withLimits(8L << 20, 2, 2_000_000).withBatching(4, 0, 8))) {
            Answer answer = new TestHttp(small.port()).multipart("/api/v1/fields", List.of(Part.image("f.png", fieldPng)));
            assertThat(answer.status()).as(answer.response().body()).isEqualTo(200);
            JsonNode f = answer.json().get("fields").get(0);
            assertThat(f.get("cells").asInt()).isEqualTo(direct.countedCells());
            assertThat(f.get("infected").asInt()).isEqualTo(direct.infectedCells());
            assertThat(small.metrics().imagesClassified()).isEqualTo(classified);
            assertThat(small.metrics().batches()).isGreaterThanOrEqualTo((classified + 3) / 4);
        }
    }

    @Test
    void fieldRequestsAreInTheMetrics() {
        assertThat(http.multipart("/api/v1/fields", List.of(Part.image("m.png", fieldPng))).status()).isEqualTo(200);
        String text = http.get("/metrics").response().body();
        assertThat(ScreeningServerTest.value(text, "smearscan_http_requests_total{route=\"/api/v1/fields\",status=\"200\"}"))
                .isGreaterThanOrEqualTo(1);
        assertThat(ScreeningServerTest.value(text, "smearscan_fields_screened_total")).isGreaterThanOrEqualTo(1);
        assertThat(ScreeningServerTest.value(text, "smearscan_field_cells_total")).isGreaterThanOrEqualTo(30);
    }

    private static void expectError(Answer answer, int status, String... mentions) {
        assertThat(answer.status()).as(answer.response().body()).isEqualTo(status);
        assertThat(answer.header("Content-Type")).startsWith("application/json");
        assertThat(answer.json().get("error").asText()).contains(mentions);
        assertThat(http.get("/health").status()).isEqualTo(200);
    }
}
