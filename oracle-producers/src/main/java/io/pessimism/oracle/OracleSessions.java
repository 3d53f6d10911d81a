package io.pessimism.oracle;

/**
 * What one oracle gives the shared {@link OracleRunner}: how to open a session, and what outlives
 * sessions (the node client's threads, a newHeads subscription, fetch threads). Everything here runs on
 * the runner's thread.
 */
public interface OracleSessions extends AutoCloseable {

    /**
     * Opens a session: creates or checks the output topic ({@link OracleTopic}), calls
     * {@code initTransactions} (which fences older instances and aborts what they left open), and reads
     * the oracle's position back (from its topic's tail, {@link TopicTail}, or its committed offsets). A
     * failure closes what was opened before it throws.
     */
    OracleSession open();

    /** Releases what outlives sessions; called once, after the last session is closed. Never throws. */
    @Override
    void close();
}
