package io.pessimism.topology.bench;

/**
 * The figures of one {@link PipeBench} run, measured on the same pre-filled topic.
 *
 * @param records            blocks read by each application
 * @param passThroughPerSec  blocks/s of a bare Kafka Streams pass-through (same serdes, same guarantees)
 * @param branchPerSec       blocks/s of the generated event_log branch
 * @param matched            records the branch wrote to its {@code .out}
 */
public record PipeBenchResult(long records, double passThroughPerSec, double branchPerSec, long matched) {

    /** The branch's rate over the pass-through's; the target is at least 0.8. */
    public double ratio() {
        return branchPerSec / passThroughPerSec;
    }
}
