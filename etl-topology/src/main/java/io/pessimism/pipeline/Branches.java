package io.pessimism.pipeline;

import io.micrometer.core.instrument.MeterRegistry;
import io.pessimism.avro.OracleHealth;
import io.pessimism.avro.PipelineSpec;
import io.pessimism.avro.PipelineStatus;
import io.pessimism.component.ComponentGraph;
import io.pessimism.topology.BranchCounters;
import io.pessimism.topology.BranchLayout;
import java.util.Optional;

/**
 * The runtime of pipeline branches: one Kafka Streams application per pipeline prefix, brought to
 * the state the control plane desires. The control plane's reconciler calls {@link #apply} for every
 * change of {@code <ns>.pipelines}; the runtime reports what it observes on {@code <ns>.pipeline-status}.
 */
public interface Branches extends AutoCloseable {

    /**
     * Brings the branch of this spec to its desired state; idempotent, returns quickly (starting a
     * branch is asynchronous: its status is {@code STARTING} until it runs). Applying a spec never
     * restarts another branch.
     */
    void apply(PipelineSpec spec);

    /**
     * Why this runtime cannot compute a pipeline of this DAG (an oracle's register, or a register
     * without a processor here), or empty when it can: asked before a create is stored.
     */
    Optional<String> cannotCompute(ComponentGraph graph);

    /**
     * A source oracle's latest state from {@code <ns>.oracle-status}: its head gives each branch
     * reading it a lag, and a FAILED oracle (a reorg deeper than its window) puts those pipelines in
     * ERROR with its reason until it runs again.
     */
    void sourceChanged(OracleHealth health);

    /**
     * How a pipeline of this spec runs in this runtime (its topics and generated topology), for
     * {@code pessimism graph}; empty when this runtime builds no topology of its own (tests).
     */
    default Optional<BranchLayout> layout(PipelineSpec spec) {
        return Optional.empty();
    }

    /** What the branch of this spec has done since it last started, when it runs here (for metrics). */
    default Optional<BranchCounters> counters(PipelineSpec spec) {
        return Optional.empty();
    }

    /**
     * Serves the Kafka Streams metrics of every branch this runtime starts from now on (its
     * threads, consumers and producer) on {@code registry}; a runtime without Kafka Streams has none.
     */
    default void bindMetrics(MeterRegistry registry) {
    }

    /**
     * Why some branch of this runtime is not where it should be, for {@code /ready}: starting, or in
     * ERROR (with its reason). Empty when every branch runs, or was paused, stopped or finished on
     * purpose.
     */
    default Optional<String> notReady() {
        return Optional.empty();
    }

    /** The last observed status of a pipeline's branch, when this runtime has applied it. */
    Optional<PipelineStatus> status(String puuid);

    /** Closes every branch, committing their progress. */
    @Override
    void close();
}
