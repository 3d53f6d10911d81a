package io.pessimism.control;

import io.pessimism.avro.DesiredState;
import io.pessimism.avro.PipelineSpec;
import io.pessimism.avro.PipelineStatus;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This instance's view of every pipeline: the desired state from {@code <ns>.pipelines} and the
 * observed state from {@code <ns>.pipeline-status}, as followed by the {@link Reconciler}, plus
 * the specs of this instance's own replies (so a read follows its own write). A spec replaces
 * another of the same PUUID only with an equal or higher revision.
 */
public final class PipelineCatalogue {

    private final Map<String, PipelineSpec> specs = new ConcurrentHashMap<>();
    private final Map<String, PipelineStatus> statuses = new ConcurrentHashMap<>();

    /** Keeps the spec unless a later revision is held. */
    public void update(PipelineSpec spec) {
        specs.merge(spec.getPuuid(), spec, (held, next) -> next.getRevision() >= held.getRevision() ? next : held);
    }

    /** Keeps the status unless a later one is held. */
    public void update(PipelineStatus status) {
        statuses.merge(status.getPuuid(), status,
                (held, next) -> next.getUpdatedAt() >= held.getUpdatedAt() ? next : held);
    }

    /** Forgets a pipeline whose spec was deleted (a tombstone on the compacted topic). */
    public void forget(String puuid) {
        specs.remove(puuid);
        statuses.remove(puuid);
    }

    /** The spec of a pipeline that is not removed. */
    public Optional<PipelineSpec> spec(String puuid) {
        return Optional.ofNullable(specs.get(puuid)).filter(s -> s.getDesiredState() != DesiredState.REMOVED);
    }

    /** The last status the runtime published for a pipeline. */
    public Optional<PipelineStatus> status(String puuid) {
        return Optional.ofNullable(statuses.get(puuid));
    }

    /** Every pipeline not removed, oldest first. */
    public List<PipelineSpec> specs() {
        return specs.values().stream()
                .filter(s -> s.getDesiredState() != DesiredState.REMOVED)
                .sorted(Comparator.comparingLong(PipelineSpec::getCreatedAt).thenComparing(PipelineSpec::getPuuid))
                .toList();
    }
}
