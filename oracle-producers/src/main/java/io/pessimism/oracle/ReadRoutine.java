package io.pessimism.oracle;

import java.time.Duration;

/**
 * The seed's ReadRoutine: an oracle following its source in real time, on its own thread, until
 * closed. Its position lives in its output topic, so a new instance resumes where the last one
 * committed.
 */
public interface ReadRoutine extends AutoCloseable {

    /** Starts the routine's thread; returns at once. */
    void start();

    /** The current status; never blocks. */
    OracleStatus status();

    /** Waits until the routine has ended on its own (failed or done) or {@code timeout} passed. */
    boolean awaitTermination(Duration timeout) throws InterruptedException;

    /** Stops the routine: an open transaction is aborted or committed, never left half-written. */
    @Override
    void close();
}
