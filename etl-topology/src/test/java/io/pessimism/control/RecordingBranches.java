package io.pessimism.control;

import io.pessimism.avro.OracleHealth;
import io.pessimism.avro.PipelineSpec;
import io.pessimism.avro.PipelineStatus;
import io.pessimism.component.ComponentGraph;
import io.pessimism.pipeline.Branches;
import io.pessimism.topology.ComponentCatalog;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A branch runtime that only records the specs it is asked to apply, and serves set statuses; it
 * computes what its catalogue implements (the standard one unless given).
 */
public final class RecordingBranches implements Branches {

    private final ComponentCatalog catalog;
    private final List<PipelineSpec> applied = new CopyOnWriteArrayList<>();
    private final List<OracleHealth> sources = new CopyOnWriteArrayList<>();
    private final Map<String, PipelineStatus> statuses = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public RecordingBranches() {
        this(ComponentCatalog.standard());
    }

    public RecordingBranches(ComponentCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public Optional<String> cannotCompute(ComponentGraph graph) {
        return catalog.cannotBuild(graph);
    }

    @Override
    public void apply(PipelineSpec spec) {
        applied.add(spec);
    }

    @Override
    public void sourceChanged(OracleHealth health) {
        sources.add(health);
    }

    /** Every source state the reconciler passed on, in order. */
    public List<OracleHealth> sourceChanges() {
        return List.copyOf(sources);
    }

    private volatile Optional<String> notReady = Optional.empty();

    /** Makes {@link #notReady} say this (empty: every branch is ready). */
    public void notReady(Optional<String> why) {
        notReady = why;
    }

    @Override
    public Optional<String> notReady() {
        return notReady;
    }

    @Override
    public Optional<PipelineStatus> status(String puuid) {
        return Optional.ofNullable(statuses.get(puuid));
    }

    /** Makes {@link #status} report this. */
    public void report(PipelineStatus status) {
        statuses.put(status.getPuuid(), status);
    }

    /** Every spec applied, in order. */
    public List<PipelineSpec> applied() {
        return List.copyOf(applied);
    }

    /** The PUUIDs applied, in order of first application. */
    public List<String> appliedPuuids() {
        return applied.stream().map(PipelineSpec::getPuuid).distinct().toList();
    }

    public boolean closed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
    }
}
