package io.pessimism.topology;

import io.pessimism.avro.PipelineSpec;
import io.pessimism.component.ComponentGraph;
import io.pessimism.id.PUUID;
import io.pessimism.id.PipelinePID;
import io.pessimism.network.Network;
import io.pessimism.pipeline.PipelineType;
import io.pessimism.registry.Registry;
import io.pessimism.topic.TopicNames;
import java.util.Objects;

/**
 * What one branch computes: the pipeline's ids, its topic prefix (also the Kafka Streams
 * {@code application.id}) and its component DAG, resolved from the registry. The topology
 * generator reads nothing else.
 *
 * @param puuid       the pipeline whose interests the branch matches and whose records it emits
 * @param pipelinePid the PipelinePID string written into every envelope
 * @param prefix      the topic prefix of the branch
 * @param type        live or backtest
 * @param startHeight the pipeline's first block (its spec's {@code startHeight}; 0 when it has
 *                    none, as it then starts at its sources' end and everything it reads is new)
 * @param endHeight   a backtest's last block (its spec's {@code endHeight}); null for a live pipeline
 * @param mergeable   a live pipeline with a branch of its own (it backfilled), which the control
 *                    plane merges into the shared pipeline of its PID once caught up: its branch
 *                    reads its {@link io.pessimism.interest.MergeFence} from {@code <ns>.state}
 * @param graph       the component DAG, most downstream register last
 * @param ownSource   a backtest whose trigger source is its own {@code <prefix>.source} (its range is older
 *                    than the oracle topic holds), which the oracle's BackTestRoutine fills with the
 *                    range's final blocks only
 */
public record BranchDefinition(String puuid, String pipelinePid, String prefix, PipelineType type,
                               long startHeight, Long endHeight, boolean mergeable, ComponentGraph graph,
                               boolean ownSource) {

    /** A branch reading its oracles' shared topics. */
    public BranchDefinition(String puuid, String pipelinePid, String prefix, PipelineType type, long startHeight,
            Long endHeight, boolean mergeable, ComponentGraph graph) {
        this(puuid, pipelinePid, prefix, type, startHeight, endHeight, mergeable, graph, false);
    }

    public BranchDefinition {
        Objects.requireNonNull(puuid, "puuid");
        Objects.requireNonNull(pipelinePid, "pipelinePid");
        TopicNames.requirePrefix(prefix);
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(graph, "graph");
        if ((type == PipelineType.BACKTEST) != (endHeight != null)) {
            throw new IllegalArgumentException("pipeline " + puuid + ": a backtest, and only a backtest, has an "
                    + "endHeight (type " + type.label() + ", endHeight " + endHeight + ")");
        }
        if (mergeable && type != PipelineType.LIVE) {
            throw new IllegalArgumentException("pipeline " + puuid + ": only a live pipeline is merged");
        }
        if (ownSource && (type != PipelineType.BACKTEST || graph.sources().size() != 1)) {
            throw new IllegalArgumentException("pipeline " + puuid + ": only a backtest of one source reads a source "
                    + "of its own (type " + type.label() + ", " + graph.sources().size() + " sources)");
        }
        if (endHeight != null && endHeight < startHeight) {
            throw new IllegalArgumentException("pipeline " + puuid + ": endHeight " + endHeight
                    + " is before startHeight " + startHeight);
        }
    }

    /**
     * The branch of a pipeline spec. The DAG is resolved from {@code registry}; the spec's PID must
     * be the one that DAG yields, so a spec and the registry never silently disagree.
     *
     * @throws IllegalArgumentException naming the PUUID and the field that does not fit
     */
    public static BranchDefinition of(PipelineSpec spec, Registry registry) {
        String puuid = spec.getPuuid();
        try {
            Network network = Network.parse(spec.getNetwork());
            PipelineType type = PipelineType.parse(spec.getType().name());
            ComponentGraph graph = registry.resolve(spec.getRegister(), network);
            String pid = PipelinePID.of(type, graph).toString();
            if (!pid.equals(spec.getPid())) {
                throw new IllegalArgumentException("pid " + spec.getPid() + " is not the PID of register "
                        + spec.getRegister() + " on " + network.label() + " (" + pid + ")");
            }
            long start = spec.getStartHeight() == null ? 0 : spec.getStartHeight();
            Long end = type == PipelineType.BACKTEST ? spec.getEndHeight() : null;
            // a live pipeline's own branch has the PUUID's UUID in its prefix; a shared one's has not
            boolean mergeable = type == PipelineType.LIVE
                    && spec.getPrefix().endsWith(PUUID.parse(puuid, registry).uuidHex());
            return new BranchDefinition(puuid, pid, spec.getPrefix(), type, start, end, mergeable, graph,
                    spec.getOwnSource());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("pipeline " + puuid + ": " + e.getMessage(), e);
        }
    }

    /** Whether the branch computes a bounded range and then ends. */
    public boolean backtest() {
        return type == PipelineType.BACKTEST;
    }

    /** Whether the branch may end at a height: a backtest at its end, a mergeable pipeline at its fence. */
    public boolean bounded() {
        return backtest() || mergeable;
    }

    /** The last block the branch may emit: a backtest's end; a mergeable pipeline's is set by its fence. */
    public long lastHeight() {
        return backtest() ? endHeight : Long.MAX_VALUE;
    }

    /** The pipeline's network. */
    public Network network() {
        return graph.network();
    }

    /** The name of the register the branch delivers on {@code <prefix>.out}. */
    public String register() {
        return graph.downstream().register().name();
    }
}
