package org.smearscan.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.smearscan.testing.SyntheticCells;

class BatchesTest {
    static final int SIZE = 20;
    static final Normalization UNIT = new Normalization(new float[] {0, 0, 0}, new float[] {1, 1, 1});

    @TempDir
    static Path tmp;
    static ImageCache cache;

    @BeforeAll
    static void buildCache() throws Exception {
        CellDataset dataset = CellDataset.scan(SyntheticCells.writeDataset(tmp.resolve("cells"), 15, 3));
        cache = ImageCache.builder(dataset.images(), dataset.fileStamp()).size(SIZE).method(ResizeMethod.SQUISH)
                .cacheDir(tmp.resolve("cache")).progress(false).open();
    }

    private static List<HostBatch> epoch(Batches batches, int epoch) {
        List<HostBatch> out = new ArrayList<>();
        try (Batches.Epoch it = batches.epoch(epoch)) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    @Test
    void sameSeedSameBatchesWithOrWithoutPrefetch() {
        int[] slots = cache.readableSlots();
        Batches a = Batches.builder(cache, slots).batchSize(8).seed(5).jitter(0.1f, 0.1f).build();
        Batches b = Batches.builder(cache, slots).batchSize(8).seed(5).jitter(0.1f, 0.1f).prefetch(0).build();
        Batches other = Batches.builder(cache, slots).batchSize(8).seed(6).jitter(0.1f, 0.1f).build();
        for (int e = 0; e < 2; e++) {
            List<HostBatch> x = epoch(a, e);
            List<HostBatch> y = epoch(b, e);
            assertThat(x).hasSize(a.batchesPerEpoch());
            for (int i = 0; i < x.size(); i++) {
                assertThat(x.get(i).pixels()).isEqualTo(y.get(i).pixels());
                assertThat(x.get(i).indices()).isEqualTo(y.get(i).indices());
                HostBatch direct = a.batch(e, i);
                assertThat(x.get(i).pixels()).isEqualTo(direct.pixels());
                assertThat(x.get(i).labels()).isEqualTo(direct.labels());
                assertThat(x.get(i).indices()).isEqualTo(direct.indices());
            }
        }
        assertThat(epoch(a, 0).get(0).indices()).isNotEqualTo(epoch(a, 1).get(0).indices());
        assertThat(epoch(other, 0).get(0).indices()).isNotEqualTo(epoch(a, 0).get(0).indices());
    }

    @Test
    void stainJitterScalesEachChannelOfAnImageByItsOwnFactorAndLeavesBlackBlack() {
        int[] slots = cache.readableSlots();
        Batches plain = Batches.builder(cache, slots).batchSize(8).normalization(UNIT).shuffle(false)
                .dihedral(false).build();
        Batches tinted = Batches.builder(cache, slots).batchSize(8).normalization(UNIT).shuffle(false)
                .dihedral(false).stain(0.2f).build();
        HostBatch p = plain.batch(0, 0);
        HostBatch t = tinted.batch(0, 0);
        int plane = SIZE * SIZE;
        int imagesWithUnequalChannels = 0;
        for (int i = 0; i < p.count(); i++) {
            double[] factor = new double[3];
            for (int c = 0; c < 3; c++) {
                int offset = (i * 3 + c) * plane;
                factor[c] = Double.NaN;
                for (int q = 0; q < plane; q++) {
                    float before = p.pixels()[offset + q];
                    float after = t.pixels()[offset + q];
                    if (before == 0f) {
                        assertThat(after).isZero();
                    } else if (after < 1f && before > 0.1f) { // not clipped at white, not lost in rounding
                        double ratio = after / before;
                        if (Double.isNaN(factor[c])) {
                            factor[c] = ratio;
                        }
                        assertThat(ratio).isCloseTo(factor[c], offset(1e-4));
                    }
                }
                assertThat(factor[c]).isBetween(0.8, 1.2);
            }
            if (Math.abs(factor[0] - factor[1]) > 1e-3 || Math.abs(factor[1] - factor[2]) > 1e-3) {
                imagesWithUnequalChannels++;
            }
        }
        assertThat(imagesWithUnequalChannels).isEqualTo(p.count());
        assertThatThrownBy(() -> Batches.builder(cache, slots).stain(0.4f))
                .hasMessageContaining("stain");
    }

    @Test
    void trainingEpochIsAPermutationWithMatchingLabels() {
        int[] slots = cache.readableSlots();
        Batches batches = Batches.training(cache, slots, 8, UNIT, 1);
        List<HostBatch> list = epoch(batches, 0);
        assertThat(list).hasSize(30 / 8).allSatisfy(b -> assertThat(b.count()).isEqualTo(8));
        Set<Integer> seen = new HashSet<>();
        for (HostBatch b : list) {
            assertThat(b.size()).isEqualTo(SIZE);
            assertThat(b.pixels()).hasSize(8 * 3 * SIZE * SIZE);
            for (int i = 0; i < b.count(); i++) {
                assertThat(seen.add(b.indices()[i])).isTrue();
                assertThat(b.labels()[i]).isEqualTo(cache.label(slots[b.indices()[i]]));
            }
        }
        assertThat(seen).hasSize(24); // 30 images, the short last batch of 6 dropped
    }

    @Test
    void validationIsInOrderUnaugmentedAndComplete() {
        int[] slots = cache.readableSlots();
        Batches batches = Batches.validation(cache, slots, 8, UNIT);
        List<HostBatch> list = epoch(batches, 3);
        assertThat(list).extracting(HostBatch::count).containsExactly(8, 8, 8, 6);
        int position = 0;
        int plane = SIZE * SIZE;
        for (HostBatch b : list) {
            for (int i = 0; i < b.count(); i++, position++) {
                assertThat(b.indices()[i]).isEqualTo(position);
                byte[] hwc = cache.pixels(slots[position]);
                float[] expected = new float[3 * plane];
                Transforms.toNormalisedChw(hwc, SIZE, 0, UNIT, expected, 0);
                float[] actual = Arrays.copyOfRange(b.pixels(), i * 3 * plane, (i + 1) * 3 * plane);
                assertThat(actual).as("bit-identical to Transforms").isEqualTo(expected);
            }
        }
    }

    @Test
    void dihedralViewsArePermutationsOfThePixels() {
        int[] slots = cache.readableSlots();
        Batches batches = Batches.builder(cache, slots).batchSize(30).normalization(UNIT).shuffle(false).seed(11).build();
        HostBatch b = batches.batch(0, 0);
        int plane = SIZE * SIZE;
        int changed = 0;
        for (int i = 0; i < b.count(); i++) {
            byte[] hwc = cache.pixels(slots[b.indices()[i]]);
            float[] actual = Arrays.copyOfRange(b.pixels(), i * 3 * plane, (i + 1) * 3 * plane);
            // The image must equal exactly one of the 8 views computed independently.
            boolean matched = false;
            for (int view = 0; view < 8 && !matched; view++) {
                float[] expected = new float[3 * plane];
                Transforms.toNormalisedChw(hwc, SIZE, view, UNIT, expected, 0);
                matched = Arrays.equals(expected, actual);
                if (matched && view != 0) {
                    changed++;
                }
            }
            assertThat(matched).as("image %d is one of the dihedral views", i).isTrue();
            float[] plain = new float[3 * plane];
            Transforms.toNormalisedChw(hwc, SIZE, 0, UNIT, plain, 0);
            float[] sortedActual = actual.clone();
            Arrays.sort(sortedActual);
            Arrays.sort(plain);
            assertThat(sortedActual).isEqualTo(plain);
        }
        assertThat(changed).as("most images get a view other than the identity").isGreaterThan(15);
    }

    @Test
    void closingAnEpochEarlyStopsCleanly() {
        Batches batches = Batches.builder(cache, cache.readableSlots()).batchSize(2).prefetch(1).build();
        Batches.Epoch it = batches.epoch(0);
        assertThat(it.next().count()).isEqualTo(2);
        it.close();
        assertThat(it.hasNext()).isFalse();
    }
}
