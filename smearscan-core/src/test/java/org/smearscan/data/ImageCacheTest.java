package org.smearscan.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smearscan.testing.SyntheticCells;

class ImageCacheTest {
    @TempDir
    Path tmp;
    Path data;
    Path cacheDir;

    @BeforeEach
    void makeData() {
        data = SyntheticCells.writeDataset(tmp.resolve("cells"), 12, 7);
        cacheDir = tmp.resolve("cache");
    }

    private ImageCache open(CellDataset dataset, int size) throws IOException {
        return ImageCache.builder(dataset.images(), dataset.fileStamp()).size(size).method(ResizeMethod.SQUISH)
                .cacheDir(cacheDir).progress(false).open();
    }

    @Test
    void cachedPixelsEqualDirectDecoding() throws Exception {
        CellDataset dataset = CellDataset.scan(data);
        ImageCache cache = open(dataset, 32);
        assertThat(cache.origin()).isEqualTo(ImageCache.Origin.BUILT);
        assertThat(cache.count()).isEqualTo(24);
        assertThat(cache.unreadable()).isEmpty();
        for (int slot = 0; slot < cache.count(); slot++) {
            CellImage image = dataset.images().get(slot);
            assertThat(cache.image(slot)).isEqualTo(image);
            assertThat(cache.label(slot)).isEqualTo(image.label());
            byte[] direct = Transforms.resizeToRgb(ImageDecoding.read(image.path()), 32, ResizeMethod.SQUISH);
            assertThat(cache.pixels(slot)).as("slot %d", slot).isEqualTo(direct);
        }
        ImageCache again = open(dataset, 32);
        assertThat(again.origin()).isEqualTo(ImageCache.Origin.REUSED);
        assertThat(again.file()).isEqualTo(cache.file());
        assertThat(again.pixels(5)).isEqualTo(cache.pixels(5));
    }

    @Test
    void sizeAndMethodGiveSeparateCaches() throws Exception {
        CellDataset dataset = CellDataset.scan(data);
        ImageCache a = open(dataset, 32);
        ImageCache b = open(dataset, 40);
        ImageCache c = ImageCache.builder(dataset.images(), dataset.fileStamp()).size(32).method(ResizeMethod.PAD)
                .cacheDir(cacheDir).progress(false).open();
        assertThat(Stream.of(a.file(), b.file(), c.file()).distinct()).hasSize(3);
        assertThat(b.pixels(0)).hasSize(40 * 40 * 3);
        assertThat(c.origin()).isEqualTo(ImageCache.Origin.BUILT);
    }

    @Test
    void changedDatasetGetsANewCache() throws Exception {
        CellDataset before = CellDataset.scan(data);
        ImageCache first = open(before, 32);
        // Replace one image's content: size and time change, so the fingerprint and the file stamp do.
        CellImage victim = before.images().get(3);
        BufferedImage other = SyntheticCells.cell(new Random(99), true, 70, 50);
        ImageIO.write(other, "png", victim.path().toFile());
        Files.setLastModifiedTime(victim.path(), FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        CellDataset after = CellDataset.scan(data);
        assertThat(after.fingerprint()).isNotEqualTo(before.fingerprint());
        ImageCache second = open(after, 32);
        assertThat(second.origin()).isEqualTo(ImageCache.Origin.BUILT);
        assertThat(second.pixels(3)).isEqualTo(Transforms.resizeToRgb(other, 32, ResizeMethod.SQUISH))
                .isNotEqualTo(first.pixels(3));
    }

    @Test
    void truncatedCacheFileIsRebuilt() throws Exception {
        CellDataset dataset = CellDataset.scan(data);
        ImageCache built = open(dataset, 32);
        byte[] expected = built.pixels(7);
        try (RandomAccessFile f = new RandomAccessFile(built.file().toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
        ImageCache rebuilt = open(dataset, 32);
        assertThat(rebuilt.origin()).isEqualTo(ImageCache.Origin.REBUILT);
        assertThat(rebuilt.rebuildReason()).contains("truncated");
        assertThat(rebuilt.pixels(7)).isEqualTo(expected);
    }

    @Test
    void missingCompletionMarkerIsRebuilt() throws Exception {
        CellDataset dataset = CellDataset.scan(data);
        ImageCache built = open(dataset, 32);
        try (RandomAccessFile f = new RandomAccessFile(built.file().toFile(), "rw")) {
            f.seek(f.length() - 3);
            f.write(new byte[3]);
        }
        ImageCache rebuilt = open(dataset, 32);
        assertThat(rebuilt.origin()).isEqualTo(ImageCache.Origin.REBUILT);
        assertThat(rebuilt.rebuildReason()).contains("incomplete");
    }

    @Test
    void flippedPixelByteIsDetectedAndRebuilt() throws Exception {
        CellDataset dataset = CellDataset.scan(data);
        ImageCache built = open(dataset, 32);
        byte[] expected = built.pixels(10);
        try (RandomAccessFile f = new RandomAccessFile(built.file().toFile(), "rw")) {
            long at = ImageCache.HEADER_BYTES + 10L * 32 * 32 * 3 + 100;
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x40);
        }
        ImageCache rebuilt = open(dataset, 32);
        assertThat(rebuilt.origin()).isEqualTo(ImageCache.Origin.REBUILT);
        assertThat(rebuilt.rebuildReason()).contains("checksum");
        assertThat(rebuilt.pixels(10)).isEqualTo(expected);
    }

    @Test
    void truncatedPngIsReportedAndExcluded() throws Exception {
        CellDataset dataset = CellDataset.scan(data);
        CellImage victim = dataset.images().get(2);
        byte[] png = Files.readAllBytes(victim.path());
        Files.write(victim.path(), java.util.Arrays.copyOf(png, png.length / 3));
        dataset = CellDataset.scan(data);
        ImageCache cache = open(dataset, 32);
        assertThat(cache.unreadable()).hasSize(1);
        ImageCache.Unreadable bad = cache.unreadable().get(0);
        assertThat(bad.image().path()).isEqualTo(victim.path());
        assertThat(bad.problem()).contains("truncated or corrupt");
        assertThat(cache.isReadable(2)).isFalse();
        assertThat(cache.readableSlots()).hasSize(23).doesNotContain(2);
        assertThat(cache.slotsOf(dataset.images())).hasSize(23).doesNotContain(2);
        // The record survives reopening: the reused file still knows which image was bad.
        ImageCache reopened = open(dataset, 32);
        assertThat(reopened.origin()).isEqualTo(ImageCache.Origin.REUSED);
        assertThat(reopened.unreadable()).containsExactlyElementsOf(cache.unreadable());
    }

    @Test
    void noTemporaryFilesLeftBehind() throws Exception {
        open(CellDataset.scan(data), 32);
        try (Stream<Path> files = Files.list(cacheDir)) {
            assertThat(files.map(p -> p.getFileName().toString())).singleElement()
                    .satisfies(name -> assertThat(name).endsWith(".cache"));
        }
    }

    @Test
    void statisticsAreThePixelMeanAndStd() throws Exception {
        CellDataset dataset = CellDataset.scan(data);
        ImageCache cache = open(dataset, 16);
        int[] slots = {0, 5, 9};
        double[] sum = new double[3];
        double[] sumSq = new double[3];
        long n = 0;
        for (int slot : slots) {
            byte[] px = cache.pixels(slot);
            for (int i = 0; i < px.length; i += 3) {
                for (int c = 0; c < 3; c++) {
                    double x = (px[i + c] & 0xff) / 255.0;
                    sum[c] += x;
                    sumSq[c] += x * x;
                }
                n++;
            }
        }
        Normalization stats = cache.statistics(slots);
        for (int c = 0; c < 3; c++) {
            double mean = sum[c] / n;
            assertThat(stats.mean()[c]).isCloseTo((float) mean, org.assertj.core.data.Offset.offset(1e-4f));
            assertThat(stats.std()[c]).isCloseTo((float) Math.sqrt(sumSq[c] / n - mean * mean),
                    org.assertj.core.data.Offset.offset(1e-4f));
        }
        // Pink cells on black: red brighter than green on average.
        assertThat(stats.mean()[0]).isGreaterThan(stats.mean()[1]);
    }

    @Test
    void slotsOfRejectsForeignImages() throws Exception {
        ImageCache cache = open(CellDataset.scan(data), 16);
        CellImage stranger = new CellImage(tmp.resolve("elsewhere.png"), 0, "P1");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> cache.slotsOf(java.util.List.of(stranger)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("elsewhere.png");
    }
}
