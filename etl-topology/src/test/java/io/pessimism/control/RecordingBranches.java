package io.pessimism.control;

import io.pessimism.avro.PipelineSpec;
import io.pessimism.avro.PipelineStatus;
import io.pessimism.pipeline.Branches;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A branch runtime that only records the specs it is asked to apply, and serves set statuses. */
public final class RecordingBranches implements Branches {

    private final List<PipelineSpec> applied = new CopyOnWriteArrayList<>();
    private final Map<String, PipelineStatus> statuses = new ConcurrentHashMap<>();
    private volatile boolean closed;

    @Override
    public void apply(PipelineSpec spec) {
        applied.add(spec);
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
