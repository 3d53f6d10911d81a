package io.pessimism.control;

import io.pessimism.avro.AddressInterest;
import io.pessimism.avro.PipelineSpec;
import io.pessimism.config.PipelineLimits;
import io.pessimism.registry.Registry;
import io.pessimism.topic.Topic;
import io.pessimism.topic.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The control plane's topology: {@code <ns>.pipeline-commands} → the single applying processor
 * (stores: pipelines, shared-pipelines, interests) → {@code <ns>.pipelines}, {@code <ns>.state},
 * {@code <ns>.pipeline-replies}; it also advances each active network's interest horizon on
 * {@code <ns>.state}. A second source feeds it {@code <ns>.pipeline-status}: done backtests, and
 * caught-up backfills it merges. Named nodes, so {@code describe()} reads like this comment.
 *
 * <p>The stores are in memory, backed by their changelogs: they hold a few hundred pipelines and
 * their interests, restore in moments, and spare the RocksDB flush that every commit (one per
 * batch of commands) would otherwise pay.
 */
public final class ControlPlaneTopology {

    static final String COMMANDS_SOURCE = "pipeline-commands";
    static final String APPLY = "apply-commands";
    static final String SPECS_SINK = "pipelines";
    static final String INTERESTS_SINK = "state";
    static final String REPLIES_SINK = "pipeline-replies";
    static final String STATUS_SOURCE = "pipeline-status";

    private ControlPlaneTopology() {
    }

    /**
     * The topology, used as is by the service and by its tests.
     *
     * @param heads the chain heads the interest horizons follow ({@link CommandProcessor})
     */
    public static Topology build(Topics topics, Registry registry, PipelineLimits limits, NextBlocks heads) {
        var commands = topics.pipelineCommands();
        Topic<String, PipelineSpec> specs = topics.pipelines();
        Topic<String, AddressInterest> interests = topics.state();
        var replies = topics.pipelineReplies();
        var statuses = topics.pipelineStatus();
        CommandApplier applier = new CommandApplier(topics.names(), registry, limits);
        Merges merges = new Merges(topics.names(), registry, limits.mergeBackfills());
        return new Topology()
                .addSource(COMMANDS_SOURCE, commands.keySerde().deserializer(), commands.valueSerde().deserializer(),
                        commands.name())
                .addSource(STATUS_SOURCE, statuses.keySerde().deserializer(), statuses.valueSerde().deserializer(),
                        statuses.name())
                .addProcessor(APPLY, () -> new CommandProcessor(applier, merges, heads), COMMANDS_SOURCE,
                        STATUS_SOURCE)
                .addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(ControlStore.PIPELINES),
                        Serdes.String(), Topics.storeSerde(PipelineSpec.class)), APPLY)
                .addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(ControlStore.SHARED_INDEX),
                        Serdes.String(), Serdes.String()), APPLY)
                .addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(ControlStore.INTERESTS),
                        Serdes.String(), Topics.storeSerde(AddressInterest.class)), APPLY)
                .addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(ControlStore.OBSERVED),
                        Serdes.String(), Serdes.String()), APPLY)
                .addSink(SPECS_SINK, specs.name(), specs.keySerde().serializer(), specs.valueSerde().serializer(), APPLY)
                .addSink(INTERESTS_SINK, interests.name(), interests.keySerde().serializer(),
                        interests.valueSerde().serializer(), APPLY)
                .addSink(REPLIES_SINK, replies.name(), replies.keySerde().serializer(), replies.valueSerde().serializer(),
                        APPLY);
    }
}
