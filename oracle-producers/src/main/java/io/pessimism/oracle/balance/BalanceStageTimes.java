package io.pessimism.oracle.balance;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where one AccountBalance oracle's time went since it started, summed per stage. Its loop is one
 * thread doing one stage at a time, so the stages (with the rest of the loop) add up to its wall time.
 *
 * @param open opening sessions: topics checked, {@code initTransactions}, the ledger read back from the
 *             output topic, the block consumer's position, the address state read up to its end
 * @param poll taking blocks: polling the block topic and the address state, waiting for the interest horizon
 * @param read reading the watched balances of the blocks taken ({@code eth_getBalance} batches)
 * @param write beginning each transaction, deciding its records with the ledger and handing them to the producer
 * @param commit {@code sendOffsetsToTransaction} and {@code commitTransaction}, which flushes the records
 * @param transactions transactions committed
 * @param blocks blocks written (retractions included)
 * @param balances balances read
 */
public record BalanceStageTimes(Duration open, Duration poll, Duration read, Duration write, Duration commit,
        long transactions, long blocks, long balances) {

    /** The stages' names as metrics tag them. */
    public static final List<String> STAGES = List.of("open", "poll", "read", "write", "commit");

    public static final BalanceStageTimes ZERO = new BalanceStageTimes(Duration.ZERO, Duration.ZERO, Duration.ZERO,
            Duration.ZERO, Duration.ZERO, 0, 0, 0);

    /** Each stage's time under its name in {@link #STAGES}. */
    public Map<String, Duration> byStage() {
        Map<String, Duration> byStage = new LinkedHashMap<>();
        byStage.put("open", open);
        byStage.put("poll", poll);
        byStage.put("read", read);
        byStage.put("write", write);
        byStage.put("commit", commit);
        return byStage;
    }

    public BalanceStageTimes plus(BalanceStageTimes other) {
        return new BalanceStageTimes(open.plus(other.open), poll.plus(other.poll), read.plus(other.read),
                write.plus(other.write), commit.plus(other.commit), transactions + other.transactions,
                blocks + other.blocks, balances + other.balances);
    }

    /** What happened since {@code earlier}, a snapshot of the same oracle. */
    public BalanceStageTimes minus(BalanceStageTimes earlier) {
        return new BalanceStageTimes(open.minus(earlier.open), poll.minus(earlier.poll), read.minus(earlier.read),
                write.minus(earlier.write), commit.minus(earlier.commit), transactions - earlier.transactions,
                blocks - earlier.blocks, balances - earlier.balances);
    }

    static BalanceStageTimes opened(long nanos) {
        return new BalanceStageTimes(Duration.ofNanos(nanos), Duration.ZERO, Duration.ZERO, Duration.ZERO,
                Duration.ZERO, 0, 0, 0);
    }

    static BalanceStageTimes polled(long nanos) {
        return new BalanceStageTimes(Duration.ZERO, Duration.ofNanos(nanos), Duration.ZERO, Duration.ZERO,
                Duration.ZERO, 0, 0, 0);
    }
}
