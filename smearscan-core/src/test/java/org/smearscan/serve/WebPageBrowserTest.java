package org.smearscan.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.smearscan.inference.CellClassifier;
import org.smearscan.inference.EngineKind;
import org.smearscan.testing.RepositoryPaths;
import org.smearscan.testing.SyntheticCells;
import org.smearscan.testing.SyntheticFields;
import org.smearscan.testing.TestModels;

/**
 * Drives the page in headless Chromium: uploads cell images through the file input and checks what it
 * renders (a card per image with its call, heatmaps that load, the summary count, the CSV), and a field
 * photograph (drawn on a canvas with its cells' outlines, and counted as the API counts it). Skips when
 * Debian's chromium and chromedriver are not installed (CI installs them).
 */
class WebPageBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path REAL_CELLS = RepositoryPaths.SHARED_DATA.resolve("cell_images");
    private static final int PER_CLASS = 3;

    @TempDir
    Path tmp;

    private void assumeBrowser() {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "browser test skipped: needs /usr/bin/chromium and /usr/bin/chromedriver (apt-get install chromium chromium-driver)");
    }

    /** Saves what the browser shows as target/NAME, for a person to look at. */
    private static void screenshot(ChromeDriver driver, String name) throws IOException {
        Path screenshot = Path.of("target", name);
        Files.createDirectories(screenshot.getParent());
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), screenshot, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("browser test: screenshot in " + screenshot.toAbsolutePath());
    }

    /** Opens the service's page and waits until it shows the model, which means its script has started. */
    private static WebDriverWait openPage(ChromeDriver driver, ScreeningServer server, CellClassifier classifier) {
        driver.get(server.url());
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(90));
        wait.until(d -> d.findElement(By.id("model")).getText().contains(classifier.modelId()));
        return wait;
    }

    /** Chooses files in the page's file input, as a user picking several files does. */
    private static void upload(ChromeDriver driver, List<Path> files) {
        driver.findElement(By.id("file-input")).sendKeys(String.join("\n",
                files.stream().map(p -> p.toAbsolutePath().normalize().toString()).toList()));
    }

    private ChromeDriver startBrowser() throws IOException {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage", "--window-size=1280,1100",
                "--user-data-dir=" + Files.createDirectories(tmp.resolve("chromium-profile")));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    @Test
    void uploadedCellsAreClassifiedExplainedAndCounted() throws Exception {
        assumeBrowser();
        List<Path> images = cellImages();
        Path broken = Files.writeString(tmp.resolve("broken.png"), "not an image at all");
        List<Path> uploads = new ArrayList<>(images);
        uploads.add(broken);

        try (CellClassifier classifier = CellClassifier.load(TestModels.trained());
                ScreeningServer server = ScreeningServer.start(classifier, ServeOptions.defaults().withPort(0))) {
            ChromeDriver driver = startBrowser();
            try {
                WebDriverWait wait = openPage(driver, server, classifier);
                assertThat(driver.findElement(By.id("heatmap-toggle")).isEnabled()).isTrue();
                assertThat(driver.findElement(By.id("heatmap-note")).isDisplayed()).isFalse();

                upload(driver, uploads);

                WebElement summary = driver.findElement(By.id("summary"));
                wait.until(d -> "0".equals(summary.getAttribute("data-pending"))
                        && Integer.parseInt(summary.getAttribute("data-total"))
                                + Integer.parseInt(summary.getAttribute("data-failed")) == uploads.size());

                List<WebElement> cards = driver.findElements(By.cssSelector("#results .card"));
                assertThat(cards).hasSize(uploads.size());
                int parasitized = 0;
                for (int i = 0; i < images.size(); i++) {
                    WebElement card = cards.get(i);
                    String label = card.findElement(By.className("label")).getText();
                    assertThat(label).isIn("Parasitized", "Uninfected");
                    assertThat(card.findElement(By.className("name")).getText()).isEqualTo(images.get(i).getFileName().toString());
                    assertThat(card.findElement(By.className("probability")).getText()).matches("\\d{1,3}\\.\\d%");
                    WebElement heatmap = card.findElement(By.cssSelector("img.heatmap"));
                    wait.until(d -> loaded(driver, heatmap));
                    assertThat(heatmap.getAttribute("src")).startsWith("data:image/png;base64,");
                    assertThat(loaded(driver, card.findElement(By.cssSelector("img.cell")))).isTrue();
                    parasitized += label.equals("Parasitized") ? 1 : 0;
                }
                WebElement failed = cards.get(images.size());
                assertThat(failed.getAttribute("class")).contains("failed");
                assertThat(failed.findElement(By.className("detail")).getText()).contains("broken.png").contains("not an image");
                assertThat(failed.findElements(By.cssSelector("img"))).as("no broken image icons").isEmpty();

                assertThat(summary.getAttribute("data-parasitized")).isEqualTo(Integer.toString(parasitized));
                assertThat(driver.findElement(By.id("summary-parasitized")).getText()).isEqualTo(Integer.toString(parasitized));
                assertThat(driver.findElement(By.id("summary-total")).getText()).isEqualTo(Integer.toString(images.size()));
                assertThat(driver.findElement(By.id("summary-extra")).getText()).contains("1 not readable");

                assertThat(driver.findElement(By.id("download-csv")).isEnabled()).isTrue();
                String csv = (String) ((JavascriptExecutor) driver).executeScript("return window.smearscan.toCsv();");
                List<String> rows = csv.lines().toList();
                assertThat(rows.get(0)).isEqualTo("file,label,probability,parasitized_probability,threshold,model_id,ood_score,status,error");
                assertThat(rows).hasSize(1 + uploads.size());
                assertThat(rows.stream().filter(r -> r.contains(",Parasitized,")).count()).isEqualTo(parasitized);
                assertThat(rows.get(uploads.size())).startsWith("broken.png,,,,,,,,").contains("not an image");

                screenshot(driver, "web-ui.png");
            } finally {
                driver.quit();
            }
        }
    }

    /** An image that is not a cell is shown as such, without a call, and left out of the count. */
    @Test
    void anImageThatIsNotACellIsShownAsNotACell() throws Exception {
        assumeBrowser();
        List<Path> uploads = new ArrayList<>();
        List<BufferedImage> cells = TestModels.cells(51, 2, true);
        for (int i = 0; i < cells.size(); i++) {
            Path p = tmp.resolve("cell-" + i + ".png");
            ImageIO.write(cells.get(i), "png", p.toFile());
            uploads.add(p);
        }
        Path noisePath = tmp.resolve("noise.png");
        ImageIO.write(SyntheticCells.noise(9, 64), "png", noisePath.toFile());
        uploads.add(noisePath);

        try (CellClassifier classifier = CellClassifier.load(TestModels.trainedWithOod());
                ScreeningServer server = ScreeningServer.start(classifier, ServeOptions.defaults().withPort(0))) {
            ChromeDriver driver = startBrowser();
            try {
                WebDriverWait wait = openPage(driver, server, classifier);
                upload(driver, uploads);
                WebElement summary = driver.findElement(By.id("summary"));
                wait.until(d -> "0".equals(summary.getAttribute("data-pending"))
                        && Integer.parseInt(summary.getAttribute("data-total"))
                                + Integer.parseInt(summary.getAttribute("data-not-cells")) == uploads.size());
                List<WebElement> cards = driver.findElements(By.cssSelector("#results .card"));
                WebElement last = cards.get(cards.size() - 1);
                assertThat(last.findElement(By.className("label")).getText()).isEqualTo("Not a cell");
                assertThat(last.getAttribute("class")).contains("not-a-cell");
                assertThat(last.findElement(By.className("detail")).getText()).contains("Unlike the cells");
                assertThat(summary.getAttribute("data-not-cells")).isEqualTo("1");
                assertThat(driver.findElement(By.id("summary-extra")).getText()).contains("1 not a cell");
                String csv = (String) ((JavascriptExecutor) driver).executeScript("return window.smearscan.toCsv();");
                assertThat(csv.lines().toList().get(uploads.size())).startsWith("noise.png,,").contains(",not_a_cell,");
            } finally {
                driver.quit();
            }
        }
    }

    /** On ONNX Runtime the page offers no heatmaps, says why, and classifies without asking for them. */
    @Test
    void onOnnxRuntimeTheHeatmapOptionIsDisabledWithANote() throws Exception {
        assumeBrowser();
        List<Path> images = cellImages().subList(0, 2);
        try (CellClassifier classifier = CellClassifier.load(TestModels.trained(), EngineKind.ONNXRUNTIME);
                ScreeningServer server = ScreeningServer.start(classifier, ServeOptions.defaults().withPort(0))) {
            ChromeDriver driver = startBrowser();
            try {
                WebDriverWait wait = openPage(driver, server, classifier);
                assertThat(driver.findElement(By.id("model")).getText()).contains("ONNX Runtime");
                WebElement toggle = driver.findElement(By.id("heatmap-toggle"));
                assertThat(toggle.isEnabled()).isFalse();
                assertThat(toggle.isSelected()).isFalse();
                WebElement note = driver.findElement(By.id("heatmap-note"));
                assertThat(note.isDisplayed()).isTrue();
                assertThat(note.getText()).contains("PyTorch").contains("ONNX Runtime").contains("--engine pytorch");

                upload(driver, images);
                WebElement summary = driver.findElement(By.id("summary"));
                wait.until(d -> "0".equals(summary.getAttribute("data-pending"))
                        && Integer.parseInt(summary.getAttribute("data-total"))
                                + Integer.parseInt(summary.getAttribute("data-failed")) == images.size());
                assertThat(summary.getAttribute("data-failed")).as("no heatmap was asked for, so none refused").isEqualTo("0");
                List<WebElement> cards = driver.findElements(By.cssSelector("#results .card"));
                assertThat(cards).hasSize(images.size()).allSatisfy(card -> {
                    assertThat(card.findElement(By.className("label")).getText()).isIn("Parasitized", "Uninfected");
                    assertThat(card.findElements(By.cssSelector(".heatmap-figure"))).isEmpty();
                });
            } finally {
                driver.quit();
            }
        }
    }

    /**
     * A photograph larger than 400 px each way goes to /api/v1/fields: the page draws it at its own size with
     * each cell's outline and shows the API's count; a cell uploaded with it still gets its card.
     */
    @Test
    void aFieldPhotographIsDrawnWithItsCellsAndCountedAsTheApiCountsIt() throws Exception {
        assumeBrowser();
        SyntheticFields.Field field = SyntheticFields.field(11);
        Path fieldFile = tmp.resolve("field-11.png");
        ImageIO.write(field.image(), "png", fieldFile.toFile());
        Path cellFile = tmp.resolve("cell.png");
        ImageIO.write(TestModels.cells(8, 1, true).get(0), "png", cellFile.toFile());

        try (CellClassifier classifier = CellClassifier.load(TestModels.trained());
                ScreeningServer server = ScreeningServer.start(classifier, ServeOptions.defaults().withPort(0))) {
            TestHttp.Answer answer = new TestHttp(server.port()).multipart("/api/v1/fields",
                    List.of(TestHttp.Part.image("field-11.png", Files.readAllBytes(fieldFile))));
            assertThat(answer.status()).as(answer.response().body()).isEqualTo(200);
            JsonNode api = answer.json().get("fields").get(0);
            JsonNode percent = api.get("parasitemiaPercent");
            String expected = api.get("cells").asInt() + " red cells, " + api.get("infected").asInt()
                    + " infected, parasitemia " + toFixed1(percent.get("value").asDouble()) + "% (95% CI "
                    + toFixed1(percent.get("low").asDouble()) + "\u2013" + toFixed1(percent.get("high").asDouble()) + "%)";

            ChromeDriver driver = startBrowser();
            try {
                WebDriverWait wait = openPage(driver, server, classifier);
                assertThat(driver.findElement(By.id("field-rule")).getText()).contains("400").contains("field");
                upload(driver, List.of(fieldFile, cellFile));

                WebElement count = driver.findElement(By.id("field-count"));
                WebElement summary = driver.findElement(By.id("summary"));
                wait.until(d -> "1".equals(count.getAttribute("data-fields")) && "0".equals(count.getAttribute("data-pending"))
                        && "0".equals(summary.getAttribute("data-pending")) && "1".equals(summary.getAttribute("data-total")));
                assertThat(count.getText()).isEqualTo(expected);
                assertThat(count.getAttribute("data-cells")).isEqualTo(api.get("cells").asText());
                assertThat(count.getAttribute("data-infected")).isEqualTo(api.get("infected").asText());
                assertThat(driver.findElements(By.cssSelector("#results .card"))).as("the cell's card").hasSize(1);
                List<WebElement> fields = driver.findElements(By.cssSelector("#fields .field-card"));
                assertThat(fields).hasSize(1);
                assertThat(fields.get(0).findElement(By.className("field-name")).getText()).isEqualTo("field-11.png");
                assertThat(fields.get(0).findElement(By.className("field-card-count")).getText()).startsWith(expected);

                WebElement canvas = fields.get(0).findElement(By.tagName("canvas"));
                assertThat(canvas.getAttribute("width")).isEqualTo("1280");
                assertThat(canvas.getAttribute("height")).isEqualTo("960");
                @SuppressWarnings("unchecked")
                Map<String, Long> pixels = (Map<String, Long>) driver.executeScript(PIXEL_CENSUS, canvas);
                long all = 1280L * 960;
                assertThat(pixels.get("total")).isEqualTo(all);
                assertThat(pixels.get("background")).as("the field is drawn").isGreaterThan(all / 4);
                assertThat(pixels.get("cell")).as("its cells too").isGreaterThan(all / 20);
                int uninfected = 0;
                for (JsonNode c : api.get("cellList")) {
                    uninfected += c.get("call").asText().equals("uninfected") ? 1 : 0;
                }
                assertThat(pixels.get("green")).as("uninfected outlines").isGreaterThan(uninfected > 0 ? 100L * uninfected : -1);
                assertThat(pixels.get("red")).as("infected outlines")
                        .isGreaterThan(api.get("infected").asInt() > 0 ? 100L * api.get("infected").asInt() : -1);

                screenshot(driver, "web-ui-field.png");
            } finally {
                driver.quit();
            }
        }
    }

    /** Counts the canvas's pixels near the field's colours and the outlines' colours (app.js OUTLINE). */
    private static final String PIXEL_CENSUS = """
            var c = arguments[0];
            var d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            function near(i, r, g, b) {
              return Math.abs(d[i] - r) <= 8 && Math.abs(d[i + 1] - g) <= 8 && Math.abs(d[i + 2] - b) <= 8;
            }
            var n = { total: d.length / 4, background: 0, cell: 0, green: 0, red: 0 };
            for (var i = 0; i < d.length; i += 4) {
              if (near(i, 205, 218, 208)) { n.background++; }
              else if (near(i, 175, 140, 160)) { n.cell++; }
              else if (near(i, 0, 170, 70)) { n.green++; }
              else if (near(i, 225, 20, 30)) { n.red++; }
            }
            return n;
            """;

    /** What JavaScript's {@code toFixed(1)} writes: the double's exact value rounded half up. */
    private static String toFixed1(double value) {
        return new BigDecimal(value).setScale(1, RoundingMode.HALF_UP).toPlainString();
    }

    private static boolean loaded(ChromeDriver driver, WebElement image) {
        Object ok = driver.executeScript("return arguments[0].complete && arguments[0].naturalWidth > 0;", image);
        return Boolean.TRUE.equals(ok);
    }

    /** A few real cells when the data set is present next to the project, else generated ones; says which. */
    private List<Path> cellImages() throws IOException {
        if (Files.isDirectory(REAL_CELLS.resolve("Parasitized")) && Files.isDirectory(REAL_CELLS.resolve("Uninfected"))) {
            List<Path> real = new ArrayList<>();
            for (String label : List.of("Parasitized", "Uninfected")) {
                try (Stream<Path> files = Files.list(REAL_CELLS.resolve(label))) {
                    real.addAll(files.filter(p -> p.toString().endsWith(".png")).sorted().limit(PER_CLASS).toList());
                }
            }
            if (real.size() == 2 * PER_CLASS) {
                System.out.println("browser test: uploading " + real.size() + " real cell images from "
                        + REAL_CELLS.toAbsolutePath().normalize() + " (the test model is trained on synthetic cells,"
                        + " so their calls are not checked, only how they are shown)");
                return real;
            }
        }
        Random rnd = new Random(5);
        List<Path> generated = new ArrayList<>();
        for (int i = 0; i < 2 * PER_CLASS; i++) {
            Path file = tmp.resolve((i < PER_CLASS ? "parasitized-" : "uninfected-") + i + ".png");
            ImageIO.write(SyntheticCells.cell(rnd, i < PER_CLASS, 100 + 7 * i, 110), "png", file.toFile());
            generated.add(file);
        }
        System.out.println("browser test: uploading " + generated.size() + " generated cell images ("
                + REAL_CELLS.toAbsolutePath().normalize() + " is absent)");
        return generated;
    }
}
