package io.pessimism.topology;

import io.pessimism.avro.AddressInterest;
import io.pessimism.avro.Block;
import io.pessimism.avro.PipelineSpec;
import io.pessimism.interest.InterestHorizon;
import io.pessimism.network.Network;
import io.pessimism.pipeline.BranchProperties;
import io.pessimism.pipeline.BranchSettings;
import io.pessimism.registry.Registry;
import io.pessimism.schemaregistry.InProcessSchemaRegistry;
import io.pessimism.topic.TopicNames;
import io.pessimism.topic.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * The production topology and branch properties of one spec in a TopologyTestDriver, with typed
 * input and output topics from the production {@link Topics}.
 */
public final class BranchDriver implements AutoCloseable {

    /** The driver's wall clock at start. */
    public static final Instant START = Instant.ofEpochMilli(1_750_000_000_000L);

    public final Topics topics;
    public final PipelineSpec spec;
    public final BranchDefinition branch;
    public final BranchCounters counters = new BranchCounters();
    public final Topology topology;
    public final TopologyTestDriver driver;

    public BranchDriver(Registry registry, ComponentCatalog catalog, String register, Path stateDir) {
        this.topics = new Topics(new TopicNames("t"), InProcessSchemaRegistry.inMemory(), -1);
        this.spec = TestPipelines.live(registry, topics.names(), register, Network.LAYER1, 0L);
        this.branch = BranchDefinition.of(spec, registry);
        this.topology = new TopologyGenerator(catalog, topics).build(branch, counters);
        // The production properties, but at_least_once: the test driver under exactly_once_v2 loses a
        // DLQ record sent while a record is enqueued, before any processing; the DLQ under
        // exactly_once_v2 on a real broker is covered by StreamsBranchesIT.
        var settings = new BranchSettings("localhost:1", stateDir, (short) 1, Duration.ofMillis(100), 0,
                8 * 1024 * 1024, Duration.ofSeconds(1), Map.of("processing.guarantee", "at_least_once"));
        this.driver = new TopologyTestDriver(topology,
                BranchProperties.of(settings, topics, spec.getPrefix(), counters), START);
        if (!topology.describe().globalStores().isEmpty()) {
            // no control plane here: every interest a test pipes is confirmed, unless it says otherwise
            confirmInterestsThrough(Long.MAX_VALUE);
        }
    }

    /** Puts the control plane's {@link InterestHorizon} of layer1 on {@code <ns>.state}. */
    public void confirmInterestsThrough(long height) {
        interests().pipeInput(InterestHorizon.key(Network.LAYER1), InterestHorizon.record(Network.LAYER1, height));
    }

    public TestInputTopic<String, Block> blocks() {
        var topic = topics.blocks(Network.LAYER1);
        return driver.createInputTopic(topic.name(), Serdes.String().serializer(), topic.valueSerde().serializer());
    }

    public TestInputTopic<byte[], byte[]> rawBlocks() {
        var topic = topics.blocks(Network.LAYER1);
        return driver.createInputTopic(topic.name(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
    }

    public TestInputTopic<String, AddressInterest> interests() {
        var topic = topics.state();
        return driver.createInputTopic(topic.name(), Serdes.String().serializer(), topic.valueSerde().serializer());
    }

    /** Puts an interest on {@code <ns>.state} under its key. */
    public void watch(AddressInterest interest) {
        interests().pipeInput(TestPipelines.key(interest), interest);
    }

    /** Withdraws an interest (a tombstone under its key). */
    public void unwatch(AddressInterest interest) {
        interests().pipeInput(TestPipelines.key(interest), null);
    }

    /** Pipes a block under its number, produced at {@code timestamp}. */
    public void pipe(Block block, Instant timestamp) {
        blocks().pipeInput(Long.toString(block.getNumber()), block, timestamp);
    }

    public <V extends SpecificRecord> TestOutputTopic<String, V> out(Class<V> type) {
        var topic = topics.out(spec.getPrefix(), type);
        return driver.createOutputTopic(topic.name(), Serdes.String().deserializer(), topic.valueSerde().deserializer());
    }

    public TestOutputTopic<byte[], byte[]> dlq() {
        var topic = topics.dlq(spec.getPrefix());
        return driver.createOutputTopic(topic.name(), Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
    }

    @Override
    public void close() {
        driver.close();
    }
}
