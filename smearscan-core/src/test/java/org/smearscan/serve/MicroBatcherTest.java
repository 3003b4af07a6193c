package org.smearscan.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MicroBatcherTest {
    private final List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());

    private MicroBatcher<Integer, Integer> doubling(int maxBatch, long maxWaitMs, int capacity) {
        return new MicroBatcher<>("test", batch -> {
            sizes.add(batch.size());
            return batch.stream().map(i -> 2 * i).toList();
        }, maxBatch, maxWaitMs, capacity, (size, nanos, failed) -> {});
    }

    @Test
    void concurrentSubmissionsShareBatchesNoLargerThanTheMaximum() throws Exception {
        int callers = 10;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try (MicroBatcher<Integer, Integer> batcher = doubling(4, 1000, 100)) {
            CyclicBarrier together = new CyclicBarrier(callers);
            List<CompletableFuture<Integer>> results = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                int item = i;
                results.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        together.await(10, TimeUnit.SECONDS);
                        return batcher.submitAll(List.of(item)).get(0).get(10, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, pool));
            }
            for (int i = 0; i < callers; i++) {
                assertThat(results.get(i).get(20, TimeUnit.SECONDS)).isEqualTo(2 * i);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(sizes).allMatch(s -> s <= 4);
        assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(callers);
        assertThat(sizes.size()).isLessThanOrEqualTo(4);
    }

    @Test
    void aLoneItemWaitsAtMostTheMaximumWait() throws Exception {
        try (MicroBatcher<Integer, Integer> batcher = doubling(32, 300, 10)) {
            long start = System.nanoTime();
            assertThat(batcher.submitAll(List.of(21)).get(0).get(10, TimeUnit.SECONDS)).isEqualTo(42);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(millis).isBetween(250L, 5_000L);
        }
        assertThat(sizes).containsExactly(1);
    }

    @Test
    void aRequestsItemsTravelTogetherAndInOrder() throws Exception {
        try (MicroBatcher<Integer, Integer> batcher = doubling(8, 0, 20)) {
            List<CompletableFuture<Integer>> results = batcher.submitAll(List.of(1, 2, 3, 4, 5));
            List<Integer> values = new ArrayList<>();
            for (CompletableFuture<Integer> r : results) {
                values.add(r.get(10, TimeUnit.SECONDS));
            }
            assertThat(values).containsExactly(2, 4, 6, 8, 10);
        }
        assertThat(sizes).containsExactly(5);
    }

    @Test
    void aFullQueueRefusesAtOnceAndAdmitsAgainWhenItDrains() throws Exception {
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (MicroBatcher<Integer, Integer> batcher = new MicroBatcher<>("test", batch -> {
            busy.countDown();
            release.await(10, TimeUnit.SECONDS);
            return batch;
        }, 1, 0, 2, (size, nanos, failed) -> {})) {
            CompletableFuture<Integer> running = batcher.submitAll(List.of(0)).get(0);
            assertThat(busy.await(10, TimeUnit.SECONDS)).isTrue();
            List<CompletableFuture<Integer>> waiting = batcher.submitAll(List.of(1, 2));
            assertThat(batcher.queued()).isEqualTo(2);
            assertThatThrownBy(() -> batcher.submitAll(List.of(3))).isInstanceOf(OverloadedException.class)
                    .hasMessageContaining("full");
            release.countDown();
            assertThat(running.get(10, TimeUnit.SECONDS)).isZero();
            assertThat(waiting.get(1).get(10, TimeUnit.SECONDS)).isEqualTo(2);
            assertThat(batcher.submitAll(List.of(4)).get(0).get(10, TimeUnit.SECONDS)).isEqualTo(4);
        }
    }

    @Test
    void aFailingBatchFailsItsCallersOnlyAndTheWorkerGoesOn() throws Exception {
        List<Boolean> failures = Collections.synchronizedList(new ArrayList<>());
        try (MicroBatcher<Integer, Integer> batcher = new MicroBatcher<>("test", batch -> {
            if (batch.contains(-1)) {
                throw new IllegalArgumentException("negative");
            }
            return batch;
        }, 4, 0, 10, (size, nanos, failed) -> failures.add(failed))) {
            CompletableFuture<Integer> bad = batcher.submitAll(List.of(-1)).get(0);
            assertThatThrownBy(() -> bad.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasRootCauseMessage("negative");
            assertThat(batcher.submitAll(List.of(7)).get(0).get(10, TimeUnit.SECONDS)).isEqualTo(7);
        }
        assertThat(failures).containsExactly(true, false);
    }

    @Test
    void closingFailsWhatIsStillQueued() throws Exception {
        CountDownLatch busy = new CountDownLatch(1);
        MicroBatcher<Integer, Integer> batcher = new MicroBatcher<>("test", batch -> {
            busy.countDown();
            Thread.sleep(300);
            return batch;
        }, 1, 0, 10, (size, nanos, failed) -> {});
        CompletableFuture<Integer> first = batcher.submitAll(List.of(1)).get(0);
        assertThat(busy.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Integer> queued = batcher.submitAll(List.of(2)).get(0);
        batcher.close();
        assertThatThrownBy(() -> queued.get(10, TimeUnit.SECONDS)).hasRootCauseMessage("the service is shutting down");
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThatThrownBy(() -> batcher.submitAll(List.of(3))).isInstanceOf(IllegalStateException.class);
    }
}
