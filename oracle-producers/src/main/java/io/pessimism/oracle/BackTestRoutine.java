package io.pessimism.oracle;

import java.time.Duration;

/**
 * The seed's BackTestRoutine: reads a bounded range of heights from the source into a given topic and
 * returns when the last one is committed. Re-running it on the same topic resumes where it stopped.
 */
public interface BackTestRoutine {

    /**
     * Writes heights {@code startHeight..endHeight} (inclusive) to {@code topic}.
     *
     * @return the final status: {@link OracleState#DONE}, or {@link OracleState#FAILED} with the reason
     */
    OracleStatus run(long startHeight, long endHeight, String topic) throws InterruptedException;

    /**
     * Starts a bounded {@code routine}, waits until it ends by itself (done or failed) and closes it; an
     * interrupt closes it at once (stopping it where it committed: a rerun resumes there).
     *
     * @return its final status
     */
    static OracleStatus untilItEnds(ReadRoutine routine) throws InterruptedException {
        routine.start();
        try {
            while (!routine.awaitTermination(Duration.ofSeconds(1))) {
                // a bounded routine ends by itself when done or failed
            }
            return routine.status();
        } finally {
            routine.close();
        }
    }
}
