package io.pessimism.oracle.balance;

import io.pessimism.oracle.OracleMeters;
import io.pessimism.oracle.OracleSettings;
import io.pessimism.oracle.OracleStatus;
import io.pessimism.oracle.rpc.NodeClient;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The parts of one AccountBalance oracle that outlive its sessions: how it runs, its topics, the
 * node and the balance reader over it, its status, where its time went and its meters.
 */
record BalanceOracleParts(String name, OracleSettings settings, BalanceTopics topics, NodeClient node,
        BalanceReader reader, AtomicReference<OracleStatus> status, AtomicReference<BalanceStageTimes> times,
        OracleMeters meters) {

    /** Adds {@code more} to the stage times (once per session open or step: not in a per-record loop). */
    void time(BalanceStageTimes more) {
        times.accumulateAndGet(more, BalanceStageTimes::plus);
        more.byStage().forEach((stage, time) -> {
            if (!time.isZero()) {
                meters.record(stage, time.toNanos());
            }
        });
    }

    /** Blocks polled and not yet written, at most: a poll's worth more is not asked for. */
    int maxPending() {
        return 2 * BalanceSessions.MAX_POLL_RECORDS;
    }

    /**
     * Balances read for one transaction, at most: enough batches that reading them takes longer than
     * writing and committing a transaction (the next transaction's reads run meanwhile, so the node is
     * then never idle, and a transaction's fixed cost, several round trips to the coordinators, is
     * shared by many blocks), few enough that a transaction stays short and a node failure repeats
     * little (32 rounds of every connection: 12,800 balances at the default batch size and concurrency).
     */
    long maxReadsPerTransaction() {
        return 32L * settings.batchSize() * settings.concurrency();
    }
}
