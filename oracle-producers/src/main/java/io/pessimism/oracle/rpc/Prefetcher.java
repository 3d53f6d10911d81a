package io.pessimism.oracle.rpc;

import io.pessimism.logging.LogContext;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fetches consecutive chunks of {@code batchSize} heights ahead of the reader, up to
 * {@code concurrency} chunks at once, and hands them out strictly in height order. The reader
 * says how far it may go ({@code limit}: never past what the node has); a failed chunk surfaces as
 * the failure of that chunk, in order, and nothing after it is handed out until {@link #restartAt}.
 *
 * <p>Used by one reader thread; the fetching runs on its own threads.
 */
public final class Prefetcher<T> implements AutoCloseable {

    private record Pending<T>(long from, long to, CompletableFuture<List<T>> result) {
    }

    private final RangeFetcher<T> fetcher;
    private final int batchSize;
    private final int concurrency;
    private final ExecutorService pool;
    private final Deque<Pending<T>> inFlight = new ArrayDeque<>();
    private long nextToRequest;

    public Prefetcher(RangeFetcher<T> fetcher, int batchSize, int concurrency, String name) {
        if (batchSize < 1 || concurrency < 1) {
            throw new IllegalArgumentException("batchSize and concurrency must be at least 1, got "
                    + batchSize + " and " + concurrency);
        }
        this.fetcher = fetcher;
        this.batchSize = batchSize;
        this.concurrency = concurrency;
        this.pool = Executors.newFixedThreadPool(concurrency, daemonThreads(name));
    }

    /** Forgets everything fetched or in flight; the next chunk handed out starts at {@code height}. */
    public void restartAt(long height) {
        for (Pending<T> pending : inFlight) {
            pending.result().cancel(true);
        }
        inFlight.clear();
        nextToRequest = height;
    }

    /** The height the next chunk handed out starts at. */
    public long nextHeight() {
        return inFlight.isEmpty() ? nextToRequest : inFlight.peekFirst().from();
    }

    /**
     * The next chunk, waiting for it if needed, after starting fetches ahead up to {@code limit};
     * empty when every height up to {@code limit} has been handed out.
     *
     * @throws NodeException the failure of that chunk; call {@link #restartAt} before reading again
     */
    public Optional<List<T>> next(long limit) {
        fill(limit);
        Pending<T> head = inFlight.pollFirst();
        if (head == null) {
            return Optional.empty();
        }
        try {
            List<T> items = head.result().join();
            if (items.size() != head.to() - head.from() + 1) {
                throw new NodeException("heights " + head.from() + ".." + head.to() + ": got " + items.size() + " blocks");
            }
            fill(limit);
            return Optional.of(items);
        } catch (CompletionException | CancellationException e) {
            restartAt(head.from());
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new NodeException("heights " + head.from() + ".." + head.to() + ": " + cause, cause);
        }
    }

    /** True when the next chunk has already arrived (or failed), so {@link #next} will not wait. */
    public boolean headReady() {
        Pending<T> head = inFlight.peekFirst();
        return head != null && head.result().isDone();
    }

    private void fill(long limit) {
        while (inFlight.size() < concurrency && nextToRequest <= limit) {
            long from = nextToRequest;
            long to = Math.min(limit, from + batchSize - 1);
            inFlight.addLast(new Pending<>(from, to, CompletableFuture.supplyAsync(() -> fetcher.fetch(from, to), pool)));
            nextToRequest = to + 1;
        }
    }

    @Override
    public void close() {
        restartAt(nextToRequest);
        pool.shutdownNow();
    }

    private static ThreadFactory daemonThreads(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            // called on the oracle's thread as the pool grows: its workers log as that oracle
            Thread thread = new Thread(LogContext.carried(runnable), name + "-fetch-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
