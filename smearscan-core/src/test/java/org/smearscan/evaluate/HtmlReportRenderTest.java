package org.smearscan.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.logging.Level;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.smearscan.chart.Charts;
import org.smearscan.data.CellImage;
import org.smearscan.data.Normalization;
import org.smearscan.data.ResizeMethod;
import org.smearscan.inference.GradCam;
import org.smearscan.inference.Tta;
import org.smearscan.model.Architecture;
import org.smearscan.model.HeadType;
import org.smearscan.model.ModelSpec;
import org.smearscan.modelfile.ModelInfo;
import org.smearscan.modelfile.Provenance;
import org.smearscan.stats.Bootstrap;
import org.smearscan.testing.SyntheticCells;

/** Renders the report in headless Chromium, as a reader would open it. */
class HtmlReportRenderTest {
    @TempDir
    Path dir;

    static HtmlReport.Content content() throws IOException {
        Random rnd = new Random(4);
        int n = 300;
        List<CellImage> images = new ArrayList<>();
        float[][] logits = new float[n][];
        float[][][] views = new float[n][Tta.VIEWS][];
        for (int i = 0; i < n; i++) {
            int label = rnd.nextBoolean() ? 0 : 1;
            images.add(new CellImage(Path.of("cell_" + i + ".png"), label, "P" + (i % 12)));
            float margin = (float) ((label == 0 ? 2.0 : -2.0) + 1.8 * rnd.nextGaussian());
            logits[i] = new float[] {margin / 2, -margin / 2};
            for (int v = 0; v < Tta.VIEWS; v++) {
                float jitter = (float) (0.3 * rnd.nextGaussian());
                views[i][v] = new float[] {logits[i][0] + jitter, logits[i][1] - jitter};
            }
            views[i][0] = logits[i];
        }
        ModelInfo info = new ModelInfo(new ModelSpec(Architecture.RESNET18, HeadType.FASTAI, 2),
                List.of("Parasitized", "Uninfected"), 0, 64, ResizeMethod.SQUISH, Normalization.IMAGENET, 0.5, 1.0,
                Map.of("accuracy", 0.95), Provenance.fromFlatMap(Map.of("dataset_fingerprint", "ab12", "seed", "42", "djl.version", "0.36.0")));
        Evaluation e = Evaluation.of("validation side of split.tsv (<donor> & co)", images, info,
                new ModelScores(logits, views), new Evaluation.Settings(Double.NaN, 0.98, new Bootstrap(200, 1)));
        TrainingHistory history = new TrainingHistory(
                Map.of("epoch", new double[] {1, 2, 3}, "train_loss", new double[] {0.6, 0.4, 0.3},
                        "valid_loss", new double[] {0.5, 0.35, 0.33}, "lr", new double[] {1e-3, 5e-4, 1e-5},
                        "mom", new double[] {0.85, 0.9, 0.95}));
        List<HtmlReport.Figure> figures = List.of(
                new HtmlReport.Figure("confusion_matrix", "Confusion matrix", "plain",
                        Charts.png(ReportCharts.confusionMatrix(e.classes(), 0, e.plain().confusion(),
                                "Confusion matrix"))),
                new HtmlReport.Figure("roc", "ROC", "plain", Charts.png(ReportCharts.roc(e.roc(),
                        e.plain().auc().value(), List.of(e.thresholdPoint(), e.targetPoint()),
                        List.of("threshold 0.5", "sensitivity 0.98")))),
                new HtmlReport.Figure("reliability", "Reliability", "bins",
                        Charts.png(ReportCharts.reliability(e.reliability(), "Reliability"))),
                new HtmlReport.Figure("loss", "Loss", "curves", Charts.png(ReportCharts.lossCurves(history))),
                new HtmlReport.Figure("schedule", "Schedule", "lr", Charts.png(ReportCharts.schedule(history))));
        List<ImageGrid.Tile> tiles = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            BufferedImage cell = SyntheticCells.cell(rnd, i % 2 == 0, 64, 64);
            float[][] heat = new float[8][8];
            heat[i % 8][(3 * i) % 8] = 1f;
            tiles.add(new ImageGrid.Tile(GradCam.overlay(cell, heat), List.of("Uninfected / Parasitized",
                    "loss 3.21  p=0.040", "C1P1ThinF_IMG_cell_" + i + ".png")));
        }
        List<HtmlReport.Figure> grids = List.of(new HtmlReport.Figure("top_losses_gradcam", "Top losses", "Grad-CAM",
                ImageGrid.png(ImageGrid.render(tiles, 4, ImageGrid.DEFAULT_TILE))));
        return new HtmlReport.Content("SmearScan report: <test> model", Map.of("file", "model.smear"),
                info.provenance().asMap(), "{\"epochs\": 3}", e, figures, grids, List.of("A note & a caveat."));
    }

    @Test
    void theReportIsSelfContainedAndEscaped() throws IOException {
        String html = HtmlReport.render(content());
        assertThat(html).doesNotContainIgnoringCase("<script").doesNotContainIgnoringCase("<link")
                .doesNotContain("src=\"http").doesNotContain("url(");
        assertThat(html).contains("&lt;test&gt; model").contains("&lt;donor&gt; &amp; co").doesNotContain("<test>");
        for (String name : Metrics.NAMES) {
            assertThat(html).contains("<td>" + name.replace('_', ' ') + "</td>");
        }
        assertThat(html).contains("TTA (8 views)").contains("Expected calibration error").contains("Donors");
    }

    @Test
    void rendersInHeadlessChromiumWithEveryImageLoadedAndNoConsoleError() throws IOException {
        Optional<Path> chromium = executable("chromium", "chromium-browser", "google-chrome");
        Optional<Path> driverBinary = executable("chromedriver");
        Assumptions.assumeTrue(chromium.isPresent() && driverBinary.isPresent(),
                "skipped: headless Chromium and chromedriver are not installed (Debian: apt-get install chromium"
                        + " chromium-driver; CI installs them)");
        Path report = dir.resolve("report.html");
        HtmlReport.write(report, content());

        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.get().toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage",
                "--user-data-dir=" + Files.createDirectories(dir.resolve("chrome-profile")), "--window-size=1280,2400");
        LoggingPreferences logging = new LoggingPreferences();
        logging.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logging);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(driverBinary.get().toFile()).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        try {
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
            driver.get(report.toUri().toString());
            JavascriptExecutor js = driver;
            Object images = js.executeScript(
                    "return Array.from(document.images).map(i => i.complete ? i.naturalWidth : -1);");
            assertThat((List<?>) images).hasSize(6);
            assertThat((List<?>) images).allSatisfy(w -> assertThat(((Number) w).longValue()).isPositive());

            List<String> errors = new ArrayList<>();
            for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
                if (entry.getLevel().intValue() >= Level.SEVERE.intValue()) {
                    errors.add(entry.getMessage());
                }
            }
            assertThat(errors).as("console errors").isEmpty();

            byte[] png = driver.getScreenshotAs(OutputType.BYTES);
            Path shot = Path.of("target", "report-screenshot.png");
            Files.createDirectories(shot.getParent());
            Files.write(shot, png);
            BufferedImage screenshot = ImageIO.read(new ByteArrayInputStream(png));
            assertThat(variance(screenshot)).as("screenshot pixel variance").isGreaterThan(100.0);
        } finally {
            driver.quit();
        }
    }

    /** Variance of the grey level over all pixels: near 0 for a blank page. */
    private static double variance(BufferedImage image) {
        double sum = 0;
        double sumSq = 0;
        long n = (long) image.getWidth() * image.getHeight();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                double grey = (((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff)) / 3.0;
                sum += grey;
                sumSq += grey * grey;
            }
        }
        double mean = sum / n;
        return sumSq / n - mean * mean;
    }

    private static Optional<Path> executable(String... names) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String name : names) {
            for (String folder : path.split(File.pathSeparator)) {
                Path candidate = Path.of(folder, name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }
}
