package io.pessimism.oracle;

/**
 * One session of an oracle on the shared {@link OracleRunner}: the Kafka clients it writes (and
 * reads) with, opened by {@link OracleSessions#open}, and where it stands. The runner steps it until
 * stopped or done and throws it away after a Kafka failure.
 */
public interface OracleSession extends AutoCloseable {

    /**
     * One step: usually one transaction, or a bounded wait for a new head when there is nothing to
     * write. A step that throws must not leave a half-written transaction behind it: a
     * {@link io.pessimism.oracle.rpc.NodeException} leaves the session as it was before the step (its
     * transaction aborted, what it read rewound), since the runner steps the same session again after a
     * backoff, and that next step calls the node again (a node that stays down fails every step, which
     * is what {@link NodeErrorBudget} times); a Kafka failure ends the session; see {@link FailureKind}.
     *
     * @return true when a bounded routine has written its last record
     */
    boolean step();

    /**
     * Ends a wait for a new head at once: called from another thread when stop is requested. It must
     * also end the next wait when it comes first (a released semaphore, a consumer's {@code wakeup()}).
     */
    void wake();

    /** Closes the session's clients; never throws. An open transaction is left to the next {@code initTransactions}. */
    @Override
    void close();
}
