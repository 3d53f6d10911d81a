package io.pessimism.control;

import io.pessimism.avro.AddressInterest;
import io.pessimism.avro.DesiredState;
import io.pessimism.avro.PipelineSpec;
import io.pessimism.avro.PipelineState;
import io.pessimism.avro.PipelineStatus;
import io.pessimism.interest.MergeFence;
import io.pessimism.interest.InterestHorizon;
import io.pessimism.interest.InterestKey;
import io.pessimism.network.Network;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The control plane's state, held in the single applying processor's stores: every pipeline by
 * PUUID (REMOVED ones kept, so a late command on them is answered, not misapplied), the index
 * PipelinePID → PUUID of shared live pipelines (dedup), and every interest by its key.
 */
final class ControlStore {

    /** Store names; their changelogs are {@code <ns>.control-<name>-changelog}. */
    static final String PIPELINES = "pipelines";
    static final String SHARED_INDEX = "shared-pipelines";
    static final String INTERESTS = "interests";
    /**
     * What the control plane keeps of the runtime's observations ({@code <ns>.pipeline-status}):
     * {@code <puuid>} → DONE while a backtest is done, {@code fence|<puuid>} → F once a caught-up
     * backfill was given its merge fence.
     */
    static final String OBSERVED = "observed";

    private final KeyValueStore<String, PipelineSpec> pipelines;
    private final KeyValueStore<String, String> sharedIndex;
    private final KeyValueStore<String, AddressInterest> interests;
    private final KeyValueStore<String, String> observed;

    ControlStore(KeyValueStore<String, PipelineSpec> pipelines, KeyValueStore<String, String> sharedIndex,
            KeyValueStore<String, AddressInterest> interests, KeyValueStore<String, String> observed) {
        this.pipelines = pipelines;
        this.sharedIndex = sharedIndex;
        this.interests = interests;
        this.observed = observed;
    }

    /**
     * Keeps what matters of a pipeline's observed state: whether it is DONE (a backtest writes DONE
     * in its own transaction; a later state, when it runs again, takes it back).
     */
    void observe(PipelineStatus status) {
        String puuid = status.getPuuid();
        if (status.getState() == PipelineState.DONE) {
            observed.put(puuid, PipelineState.DONE.name());
        } else if (observed.get(puuid) != null) {
            observed.delete(puuid);
        }
    }

    /** Whether the pipeline's latest observed state is DONE: a backtest that has emitted its whole range. */
    boolean finished(String puuid) {
        return observed.get(puuid) != null;
    }

    /** The block from which a caught-up backfill hands over to the shared pipeline, once set. */
    Optional<Long> fence(String puuid) {
        return Optional.ofNullable(observed.get(MergeFence.key(puuid))).map(Long::parseLong);
    }

    void fence(String puuid, long fromHeight) {
        observed.put(MergeFence.key(puuid), Long.toString(fromHeight));
    }

    Optional<PipelineSpec> pipeline(String puuid) {
        return Optional.ofNullable(pipelines.get(puuid));
    }

    /** A pipeline that is not REMOVED, or a 404 refusal. */
    PipelineSpec existing(String puuid) {
        if (puuid == null) {
            throw CommandRefused.invalid("puuid", "the command names no pipeline");
        }
        return pipeline(puuid).filter(s -> s.getDesiredState() != DesiredState.REMOVED)
                .orElseThrow(() -> CommandRefused.unknownPipeline(puuid));
    }

    void put(PipelineSpec spec) {
        pipelines.put(spec.getPuuid(), spec);
    }

    /** The shared live pipeline of this PipelinePID, when one is held. */
    Optional<PipelineSpec> shared(String pid) {
        return Optional.ofNullable(sharedIndex.get(pid)).flatMap(this::pipeline);
    }

    void share(String pid, String puuid) {
        sharedIndex.put(pid, puuid);
    }

    void unshare(String pid) {
        sharedIndex.delete(pid);
    }

    /** How many pipelines match, over every pipeline held (a few hundred at most). */
    int count(Predicate<PipelineSpec> predicate) {
        int count = 0;
        try (KeyValueIterator<String, PipelineSpec> all = pipelines.all()) {
            while (all.hasNext()) {
                if (predicate.test(all.next().value)) {
                    count++;
                }
            }
        }
        return count;
    }

    Optional<AddressInterest> interest(InterestKey key) {
        return Optional.ofNullable(interests.get(key.render()));
    }

    void putInterest(InterestKey key, AddressInterest interest) {
        interests.put(key.render(), interest);
    }

    void deleteInterest(InterestKey key) {
        interests.delete(key.render());
    }

    /** The interest horizon of a network (see {@link InterestHorizon}), -1 before the first. */
    long horizon(Network network) {
        return InterestHorizon.of(interests::get, network);
    }

    /** Raises the horizon of a network; returns the record to publish, or null when it did not move. */
    AddressInterest raiseHorizon(Network network, long height) {
        if (height <= horizon(network)) {
            return null;
        }
        AddressInterest horizon = InterestHorizon.record(network, height);
        interests.put(InterestHorizon.key(network), horizon);
        return horizon;
    }

    /** The networks of the pipelines running or paused: those whose horizon must advance. */
    Set<Network> activeNetworks() {
        Set<Network> networks = EnumSet.noneOf(Network.class);
        try (KeyValueIterator<String, PipelineSpec> all = pipelines.all()) {
            while (all.hasNext()) {
                PipelineSpec spec = all.next().value;
                if (Lifecycle.active(spec)) {
                    networks.add(Network.parse(spec.getNetwork()));
                }
            }
        }
        return networks;
    }

    /** Every interest of a pipeline. */
    List<InterestKey> interestsOf(String puuid) {
        List<InterestKey> keys = new ArrayList<>();
        try (KeyValueIterator<String, AddressInterest> found =
                     interests.prefixScan(InterestKey.pipelinePrefix(puuid), new StringSerializer())) {
            while (found.hasNext()) {
                KeyValue<String, AddressInterest> next = found.next();
                keys.add(InterestKey.parse(next.key));
            }
        }
        return keys;
    }
}
