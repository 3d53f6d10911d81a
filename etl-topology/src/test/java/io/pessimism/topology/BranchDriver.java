package io.pessimism.topology;

import io.pessimism.avro.AccountBalance;
import io.pessimism.avro.AddressInterest;
import io.pessimism.avro.Block;
import io.pessimism.avro.PipelineSpec;
import io.pessimism.avro.PipelineStatus;
import io.pessimism.config.KafkaConnection;
import io.pessimism.interest.InterestHorizon;
import io.pessimism.network.Network;
import io.pessimism.pipeline.BranchProperties;
import io.pessimism.pipeline.BranchSettings;
import io.pessimism.registry.Registers;
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
        this(registry, catalog, register, 0L, stateDir);
    }

    /** A live pipeline of {@code register} on layer1 starting at {@code startHeight}. */
    public BranchDriver(Registry registry, ComponentCatalog catalog, String register, long startHeight,
            Path stateDir) {
        this(registry, catalog, topics -> TestPipelines.live(registry, topics.names(), register, Network.LAYER1,
                startHeight), ReorgWindows.declared(), stateDir);
    }

    /** A backtest of {@code register} on layer1 over {@code [start, end]}, final {@code window} blocks past a block. */
    public static BranchDriver backtest(Registry registry, ComponentCatalog catalog, String register, long start,
            long end, int window, Path stateDir) {
        return new BranchDriver(registry, catalog, topics -> TestPipelines.backtest(registry, topics.names(), register,
                Network.LAYER1, start, end), ReorgWindows.everywhere(window), stateDir);
    }

    /**
     * A backtest of {@code register} on layer1 over {@code [start, end]} whose range is older than the block
     * topic holds: it reads its own {@code <prefix>.source} ({@link #source()}); blocks elsewhere are final
     * {@code window} blocks past a block.
     */
    public static BranchDriver backtestOfOwnSource(Registry registry, ComponentCatalog catalog, String register,
            long start, long end, int window, Path stateDir) {
        return new BranchDriver(registry, catalog, topics -> PipelineSpec.newBuilder(TestPipelines.backtest(registry,
                topics.names(), register, Network.LAYER1, start, end)).setOwnSource(true).build(),
                ReorgWindows.everywhere(window), stateDir);
    }

    /** A backtest's own source, {@code <prefix>.source}, which the oracle's BackTestRoutine fills with blocks. */
    public TestInputTopic<String, Block> source() {
        var topic = topics.source(spec.getPrefix(), topics.blocks(Network.LAYER1));
        return driver.createInputTopic(topic.name(), Serdes.String().serializer(), topic.valueSerde().serializer());
    }

    /**
     * A live pipeline of {@code register} on layer1 from {@code startHeight} with a branch of its own
     * (it backfilled), which the control plane may merge; blocks are final {@code window} blocks deep.
     */
    public static BranchDriver mergeable(Registry registry, ComponentCatalog catalog, String register,
            long startHeight, int window, Path stateDir) {
        return new BranchDriver(registry, catalog, topics -> {
            PipelineSpec live = TestPipelines.live(registry, topics.names(), register, Network.LAYER1, startHeight);
            var puuid = io.pessimism.id.PUUID.parse(live.getPuuid(), registry);
            return PipelineSpec.newBuilder(live).setPrefix(topics.names().pipelinePrefix(puuid, false)).build();
        }, ReorgWindows.everywhere(window), stateDir);
    }

    /** Puts the control plane's merge fence of this pipeline on {@code <ns>.state}. */
    public void fence(io.pessimism.avro.MergedInto into) {
        interests().pipeInput(io.pessimism.interest.MergeFence.key(spec.getPuuid()),
                io.pessimism.interest.MergeFence.record(spec.getPuuid(), into));
    }

    /**
     * A live pipeline of {@code register} on {@code network} from {@code startHeight} (null: from the
     * sources' end), blocks final {@code window} blocks deep, aggregators waiting {@code maxWait} for a
     * silent source.
     */
    public static BranchDriver live(Registry registry, ComponentCatalog catalog, String register, Network network,
            Long startHeight, int window, Duration maxWait, Path stateDir) {
        return new BranchDriver(registry, catalog, topics -> TestPipelines.live(registry, topics.names(), register,
                network, startHeight), ReorgWindows.everywhere(window), maxWait, stateDir);
    }

    /** A backtest of {@code register} on {@code network} over {@code [start, end]}, final {@code window} blocks past a block. */
    public static BranchDriver backtest(Registry registry, ComponentCatalog catalog, String register, Network network,
            long start, long end, int window, Path stateDir) {
        return new BranchDriver(registry, catalog, topics -> TestPipelines.backtest(registry, topics.names(), register,
                network, start, end), ReorgWindows.everywhere(window), stateDir);
    }

    private BranchDriver(Registry registry, ComponentCatalog catalog,
            java.util.function.Function<Topics, PipelineSpec> spec, ReorgWindows windows, Path stateDir) {
        this(registry, catalog, spec, windows, io.pessimism.config.Settings.AGGREGATORS_MAX_WAIT.declaredDefault(),
                stateDir);
    }

    private BranchDriver(Registry registry, ComponentCatalog catalog,
            java.util.function.Function<Topics, PipelineSpec> spec, ReorgWindows windows, Duration maxWait,
            Path stateDir) {
        this.topics = new Topics(new TopicNames("t"), InProcessSchemaRegistry.inMemory(), -1);
        this.spec = spec.apply(topics);
        this.branch = BranchDefinition.of(this.spec, registry);
        this.topology = new TopologyGenerator(catalog, topics, windows, maxWait).build(branch, counters);
        // The production properties, but at_least_once: the test driver under exactly_once_v2 loses a
        // DLQ record sent while a record is enqueued, before any processing; the DLQ under
        // exactly_once_v2 on a real broker is covered by StreamsBranchesIT.
        var settings = new BranchSettings(KafkaConnection.plaintext("localhost:1"), stateDir, (short) 1, Duration.ofMillis(100), 0,
                8 * 1024 * 1024, Duration.ofSeconds(1), Map.of("processing.guarantee", "at_least_once"));
        this.driver = new TopologyTestDriver(topology,
                BranchProperties.of(settings, topics, this.spec.getPrefix(), counters), START);
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
        return blocks(Network.LAYER1);
    }

    /** The GethBlock oracle's topic on {@code network}. */
    public TestInputTopic<String, Block> blocks(Network network) {
        var topic = topics.blocks(network);
        return driver.createInputTopic(topic.name(), Serdes.String().serializer(), topic.valueSerde().serializer());
    }

    /** Pipes a block under its number on its own network's block topic, produced at {@code timestamp}. */
    public void pipeOnItsNetwork(Block block, Instant timestamp) {
        blocks(Network.parse(block.getNetwork())).pipeInput(Long.toString(block.getNumber()), block, timestamp);
    }

    /** The account_balance oracle's topic on layer1. */
    public TestInputTopic<String, AccountBalance> balances() {
        String name = topics.registerOutput(Network.LAYER1, Registers.ACCOUNT_BALANCE).name();
        return driver.createInputTopic(name, Serdes.String().serializer(),
                topics.valueSerde(AccountBalance.class).serializer());
    }

    /** Pipes a balance record under its block number, as the oracle writes it, produced at {@code timestamp}. */
    public void pipe(AccountBalance balance, Instant timestamp) {
        balances().pipeInput(Long.toString(balance.getBlockNumber()), balance, timestamp);
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

    /** What the branch writes on {@code <ns>.pipeline-status} itself (a backtest's DONE, in its transaction). */
    public TestOutputTopic<String, PipelineStatus> statuses() {
        var topic = topics.pipelineStatus();
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
