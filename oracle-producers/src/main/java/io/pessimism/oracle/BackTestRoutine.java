package io.pessimism.oracle;

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
}
