package org.smearscan.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.smearscan.model.CellNet;
import org.smearscan.testing.TrainFixtures;

/** Native memory is freed batch by batch: resident memory stays flat once the first epochs have warmed up. */
class MemoryTest {
    private static final long MARGIN_BYTES = 48L << 20;

    static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/self/status", e);
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    @Test
    void residentMemoryAndManagedArraysStayFlatOverEpochs() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/self/status")),
                "needs Linux /proc to read resident memory");
        TrainFixtures.Images train = TrainFixtures.noise(128, 32, 8);
        TrainFixtures.Images valid = TrainFixtures.noise(32, 32, 9);
        List<Long> rss = new ArrayList<>();
        List<Integer> arrays = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            CellNet net = TrainFixtures.compact(manager, 32, 1);
            Callback probe = new Callback() {
                @Override
                public void afterEpoch(Learner l) {
                    System.gc();
                    rss.add(residentBytes());
                    arrays.add(manager.getManagedArrays().size());
                }
            };
            try (Learner learner = Learner.builder(net, manager).train(train.training(16, 1))
                    .valid(valid.validation(16)).callback(probe).build()) {
                learner.fitOneCycle(7, LearningRates.single(1e-3));
            }
        }
        // every array made for a batch was closed with the batch: the count is the same after every epoch
        assertThat(arrays.subList(1, arrays.size())).allMatch(n -> n.equals(arrays.get(1)));
        long warm = rss.get(2);
        long peak = rss.subList(2, rss.size()).stream().mapToLong(Long::longValue).max().orElseThrow();
        assertThat(peak - warm).as("resident memory growth after warm-up, per epoch: %s", rss).isLessThan(MARGIN_BYTES);
    }
}
