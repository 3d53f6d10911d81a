package io.pessimism.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.pessimism.avro.PipelineSpec;
import io.pessimism.avro.PipelineStatus;
import io.pessimism.control.CommandStates;
import io.pessimism.topic.TopicNames;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One pipeline as {@code GET /v1/pipelines[/{puuid}]} shows it: its spec (desired state) and, when
 * the runtime has reported one, its status (observed state). {@code state} is the observed state,
 * or what the control plane knows ({@code starting}, {@code paused}, {@code stopped}) before that.
 * {@code source} names a backtest's own {@code <prefix>.source} when its range is older than the
 * oracle topic holds (the oracles service fills it from the node), and is absent otherwise.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PipelineView(String puuid, String pid, String state, String topic, String prefix, String network,
        String type, String register, Long startHeight, Long endHeight, List<String> owners, String desiredState,
        long createdAt, long revision, Status status, String source) {

    /** The observed state of the pipeline's branch, as the runtime reported it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Status(String state, Long height, Long headHeight, Long lag, Double progress, Long blocksDone,
            Long blocksTotal, Double blocksPerSecond, Long etaSeconds, String reason, long updatedAt) {

        static Status of(PipelineStatus status) {
            return new Status(lower(status.getState()), status.getHeight(), status.getHeadHeight(), status.getLag(),
                    status.getProgress(), status.getBlocksDone(), status.getBlocksTotal(), status.getBlocksPerSecond(),
                    status.getEtaSeconds(), status.getReason(), status.getUpdatedAt());
        }
    }

    static PipelineView of(PipelineSpec spec, Optional<PipelineStatus> status, TopicNames names) {
        String state = status.map(s -> lower(s.getState())).orElse(lower(CommandStates.of(spec)));
        return new PipelineView(spec.getPuuid(), spec.getPid(), state, names.out(spec.getPrefix()), spec.getPrefix(),
                spec.getNetwork(), lower(spec.getType()), spec.getRegister(), spec.getStartHeight(),
                spec.getEndHeight(), List.copyOf(spec.getOwners()), lower(spec.getDesiredState()),
                spec.getCreatedAt(), spec.getRevision(), status.map(Status::of).orElse(null),
                spec.getOwnSource() ? names.source(spec.getPrefix()) : null);
    }

    static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
