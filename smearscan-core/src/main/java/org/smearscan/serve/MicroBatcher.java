package org.smearscan.serve;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Groups items submitted by concurrent callers into batches for one worker thread: a batch closes when it
 * holds {@code maxBatch} items or when its first item has waited {@code maxWait}. One forward pass over 32
 * images costs far less than 32 passes over one, so under load this raises throughput, and at low load an
 * image waits at most {@code maxWait} longer.
 *
 * <p>The queue is bounded: a submission that does not fit is refused at once with an
 * {@link OverloadedException} rather than queued behind minutes of work. A request's items are admitted
 * all together or not at all.
 *
 * @param <I> what callers submit
 * @param <O> what the batch function answers for each item
 */
public final class MicroBatcher<I, O> implements AutoCloseable {

    /** Processes one batch; answers one output per input, in order. Runs on the batcher's single thread. */
    @FunctionalInterface
    public interface BatchFunction<I, O> {
        List<O> apply(List<I> batch) throws Exception;
    }

    /** Told about each batch, for metrics. */
    @FunctionalInterface
    public interface BatchListener {
        void batchDone(int size, long nanos, boolean failed);
    }

    private record Pending<I, O>(I item, CompletableFuture<O> result, long enqueuedNanos) {}

    private final BatchFunction<I, O> function;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final int capacity;
    private final BatchListener listener;
    private final LinkedBlockingQueue<Pending<I, O>> queue = new LinkedBlockingQueue<>();
    /** One permit per free queue place; taken on submit, given back when the item leaves the queue. */
    private final Semaphore places;
    private final Object submitting = new Object();
    private final Thread worker;
    private volatile boolean running = true;

    public MicroBatcher(String name, BatchFunction<I, O> function, int maxBatch, long maxWaitMillis, int capacity,
            BatchListener listener) {
        if (maxBatch < 1 || capacity < 1 || maxWaitMillis < 0) {
            throw new IllegalArgumentException("max batch and capacity must be positive, max wait not negative");
        }
        this.function = function;
        this.maxBatch = maxBatch;
        this.maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(maxWaitMillis);
        this.capacity = capacity;
        this.listener = listener;
        this.places = new Semaphore(capacity);
        this.worker = new Thread(this::work, name);
        this.worker.setDaemon(true);
        this.worker.start();
    }

    /** Queues the items together; their results complete when their batch has run. */
    public List<CompletableFuture<O>> submitAll(List<I> items) throws OverloadedException {
        if (!running) {
            throw new IllegalStateException("the batcher is shut down");
        }
        if (items.size() > capacity) {
            throw new IllegalArgumentException(items.size() + " items can never fit a queue of " + capacity);
        }
        if (!places.tryAcquire(items.size())) {
            throw new OverloadedException("the model's queue is full (" + capacity + " images waiting)");
        }
        long now = System.nanoTime();
        List<CompletableFuture<O>> results = new ArrayList<>(items.size());
        synchronized (submitting) {
            for (I item : items) {
                CompletableFuture<O> result = new CompletableFuture<>();
                results.add(result);
                queue.add(new Pending<>(item, result, now));
            }
        }
        return results;
    }

    /** Items waiting for a batch (not counting the batch being processed). */
    public int queued() {
        return capacity - places.availablePermits();
    }

    public int capacity() {
        return capacity;
    }

    private void work() {
        while (running) {
            List<Pending<I, O>> batch;
            try {
                batch = nextBatch();
            } catch (InterruptedException e) {
                break;
            }
            if (batch.isEmpty()) {
                continue;
            }
            places.release(batch.size());
            run(batch);
        }
        failAll(new IllegalStateException("the service is shutting down"));
    }

    /** Waits for a first item, then gathers more until the batch is full or the first item's wait is over. */
    private List<Pending<I, O>> nextBatch() throws InterruptedException {
        Pending<I, O> first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
            return List.of();
        }
        List<Pending<I, O>> batch = new ArrayList<>(maxBatch);
        batch.add(first);
        // A request's items are added under this lock: taking it before draining keeps them in one batch even
        // when the worker woke on the first of them. Items that queued up meanwhile are taken at once too.
        synchronized (submitting) {
            queue.drainTo(batch, maxBatch - 1);
        }
        long deadline = first.enqueuedNanos() + maxWaitNanos;
        while (batch.size() < maxBatch) {
            Pending<I, O> next = queue.poll();
            if (next == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                next = queue.poll(left, TimeUnit.NANOSECONDS);
                if (next == null) {
                    break;
                }
            }
            batch.add(next);
        }
        return batch;
    }

    private void run(List<Pending<I, O>> batch) {
        long start = System.nanoTime();
        boolean failed = false;
        try {
            List<O> outputs = function.apply(batch.stream().map(Pending::item).toList());
            if (outputs.size() != batch.size()) {
                throw new IllegalStateException("the batch function answered " + outputs.size() + " results for "
                        + batch.size() + " items");
            }
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result().complete(outputs.get(i));
            }
        } catch (Exception | Error e) {
            // one bad batch must not stop the worker: its callers get the error, later batches still run
            failed = true;
            for (Pending<I, O> p : batch) {
                p.result().completeExceptionally(e);
            }
        } finally {
            listener.batchDone(batch.size(), System.nanoTime() - start, failed);
        }
    }

    private void failAll(Exception reason) {
        for (Pending<I, O> p; (p = queue.poll()) != null; ) {
            p.result().completeExceptionally(reason);
        }
    }

    /** Stops taking work; items still queued fail, the batch in progress finishes. */
    @Override
    public void close() {
        running = false;
        // no interrupt: the worker notices within its 100 ms poll, and a batch in progress completes
        try {
            worker.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failAll(new IllegalStateException("the service is shutting down"));
    }
}
