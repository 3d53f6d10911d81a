package io.pessimism.oracle.balance;

import io.pessimism.logging.LogContext;
import io.pessimism.oracle.rpc.NodeClient;
import io.pessimism.oracle.rpc.NodeException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads the balances of many addresses at many blocks: each block's addresses in batches of
 * {@code batchSize} {@code eth_getBalance} calls by block hash, up to {@code concurrency} batches
 * in flight, results per block in the order asked. Reads can be started ahead and awaited later.
 * The balance oracle and the benchmark's raw ceiling both read through it, so they batch alike.
 */
public final class BalanceReader implements AutoCloseable {

    /** One block to read: its hash and number, and the addresses. */
    public record Read(String blockHash, long number, List<String> addresses) {
        public Read {
            addresses = List.copyOf(addresses);
        }
    }

    private final NodeClient node;
    private final int batchSize;
    private final ExecutorService pool;

    public BalanceReader(NodeClient node, int batchSize, int concurrency, String name) {
        if (batchSize < 1 || concurrency < 1) {
            throw new IllegalArgumentException("batchSize and concurrency must be at least 1, got " + batchSize
                    + " and " + concurrency);
        }
        this.node = node;
        this.batchSize = batchSize;
        AtomicInteger threads = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(concurrency, r -> {
            Thread thread = new Thread(LogContext.carried(r), name + "-balances-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * What {@link #read} got: the balances (address → wei) of the reads before the first that failed,
     * in order, and that failure, if any.
     */
    public record Balances(List<Map<String, BigInteger>> byRead, Optional<NodeException> failure) {
    }

    /** Reads every read's balances; a failure stops the result at the read that failed. */
    public Balances read(List<Read> reads) {
        return start(reads).await();
    }

    /**
     * Starts reading: every read's batches are queued at once, in order, behind those of reads started
     * before (so reads started while others are awaited keep every connection busy).
     */
    public Started start(List<Read> reads) {
        List<List<CompletableFuture<List<BigInteger>>>> batches = new ArrayList<>(reads.size());
        for (Read read : reads) {
            List<CompletableFuture<List<BigInteger>>> ofRead = new ArrayList<>();
            for (int from = 0; from < read.addresses().size(); from += batchSize) {
                List<String> batch = read.addresses().subList(from,
                        Math.min(read.addresses().size(), from + batchSize));
                ofRead.add(CompletableFuture.supplyAsync(() -> node.balances(read.blockHash(), read.number(), batch),
                        pool));
            }
            batches.add(ofRead);
        }
        return new Started(reads, batches);
    }

    /** Reads started and not awaited yet. */
    public static final class Started {
        private final List<Read> reads;
        private final List<List<CompletableFuture<List<BigInteger>>>> batches;

        private Started(List<Read> reads, List<List<CompletableFuture<List<BigInteger>>>> batches) {
            this.reads = reads;
            this.batches = batches;
        }

        /** Waits for the balances; a failure stops the result at the read that failed and cancels the rest. */
        public Balances await() {
            List<Map<String, BigInteger>> results = new ArrayList<>(reads.size());
            for (int i = 0; i < reads.size(); i++) {
                Read read = reads.get(i);
                Map<String, BigInteger> balances = new HashMap<>(read.addresses().size() * 2);
                try {
                    int index = 0;
                    for (CompletableFuture<List<BigInteger>> batch : batches.get(i)) {
                        for (BigInteger balance : join(batch)) {
                            balances.put(read.addresses().get(index++), balance);
                        }
                    }
                } catch (NodeException e) {
                    cancel(i);
                    return new Balances(results, Optional.of(e));
                }
                results.add(balances);
            }
            return new Balances(results, Optional.empty());
        }

        /** Gives the reads up: batches not sent yet are not sent. */
        public void cancel() {
            cancel(0);
        }

        private void cancel(int from) {
            batches.subList(from, batches.size()).forEach(ofRead -> ofRead.forEach(f -> f.cancel(true)));
        }
    }

    private static List<BigInteger> join(CompletableFuture<List<BigInteger>> batch) {
        try {
            return batch.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof NodeException cause) {
                throw cause;
            }
            throw new NodeException("eth_getBalance: " + e.getCause(), e.getCause());
        } catch (CancellationException e) {
            throw new NodeException("eth_getBalance: cancelled", e);
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
