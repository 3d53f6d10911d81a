package io.pessimism.topology.bench;

import io.pessimism.avro.Block;
import io.pessimism.avro.DesiredState;
import io.pessimism.avro.L1L2BlockSync;
import io.pessimism.avro.L1L2BlockSyncOutput;
import io.pessimism.avro.PipelineSpec;
import io.pessimism.id.PUUID;
import io.pessimism.id.PipelinePID;
import io.pessimism.network.Network;
import io.pessimism.pipeline.BranchProperties;
import io.pessimism.pipeline.BranchSettings;
import io.pessimism.pipeline.PipelineType;
import io.pessimism.registry.Registers;
import io.pessimism.registry.Registry;
import io.pessimism.schemaregistry.RestSchemaRegistryClient;
import io.pessimism.topic.Topic;
import io.pessimism.topic.TopicAdmin;
import io.pessimism.topic.TopicNames;
import io.pessimism.topic.Topics;
import io.pessimism.topology.BranchCounters;
import io.pessimism.topology.BranchDefinition;
import io.pessimism.topology.ComponentCatalog;
import io.pessimism.topology.ReorgWindows;
import io.pessimism.topology.TopologyGenerator;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

/**
 * {@code pessimism bench aggregate}: tuples/s of {@code l1_l2_block_sync} triggered on layer1 (the
 * generated topology, {@code exactly_once_v2}, as the runtime runs a live pipeline) over pre-filled
 * block topics of both networks (layer1 every 2 s, layer2 every second of block time, produced
 * interleaved in time as two oracles would), versus a hand-written Kafka Streams job with the same
 * serdes and guarantees that reads both topics and forwards each record unchanged to one topic (no
 * join), in one run: warm-up passes of each, then alternating rounds; medians and spread. Both are
 * reported as layer1 blocks (tuples) per second over the same input. Every round's output is
 * counted and checked: the aggregator's a tuple per layer1 block with every layer2 block once, in
 * its window; the pass-through's every record once.
 */
public final class AggregateBench {

    /** Block-time seconds between layer1 blocks; layer2 has one a second. */
    static final int L1_BLOCK_TIME = 2;
    private static final long GENESIS_TIME = 1_700_000_000L;
    private static final Duration TIMEOUT = Duration.ofMinutes(15);

    /** One run's figures, in layer1 blocks (tuples) per second. */
    public record Figures(long tuples, List<Double> passThroughRounds, List<Double> aggregatorRounds) {

        public double passThroughMedian() {
            return BenchRounds.median(passThroughRounds);
        }

        public double aggregatorMedian() {
            return BenchRounds.median(aggregatorRounds);
        }

        /** The aggregator's median over the pass-through's; the target is at least 0.7. */
        public double ratio() {
            return aggregatorMedian() / passThroughMedian();
        }

        public String line() {
            return String.format("bench aggregate: %,d layer1 + %,d layer2 blocks; pass-through %,.0f tuples/s "
                            + "(rounds %,.0f..%,.0f), l1_l2_block_sync %,.0f tuples/s (rounds %,.0f..%,.0f); ratio of "
                            + "medians %.2f (target >= 0.70); every round's output checked",
                    tuples, tuples * L1_BLOCK_TIME, passThroughMedian(), Collections.min(passThroughRounds),
                    Collections.max(passThroughRounds), aggregatorMedian(), Collections.min(aggregatorRounds),
                    Collections.max(aggregatorRounds), ratio());
        }
    }

    private final String bootstrapServers;
    private final Topics topics;
    private final Registry registry = Registry.standard();
    private final Path stateDir;
    private final PrintStream out;

    private AggregateBench(String bootstrapServers, String registryUrl, PrintStream out) {
        this.bootstrapServers = bootstrapServers;
        String namespace = "aggregate" + UUID.randomUUID().toString().substring(0, 8);
        this.topics = new Topics(new TopicNames(namespace), new RestSchemaRegistryClient(registryUrl), -1);
        this.out = out;
        try {
            this.stateDir = Files.createTempDirectory("pessimism-aggregate");
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a state directory for the bench", e);
        }
    }

    /** Fills both block topics ({@code tuples} layer1 blocks), then measures both jobs and prints the figures. */
    public static Figures run(String bootstrapServers, String registryUrl, int tuples, int warmups, int rounds,
            PrintStream out) {
        if (tuples < 2 || rounds < 1 || warmups < 0) {
            throw new IllegalArgumentException("tuples >= 2, rounds >= 1, warm-ups >= 0: " + tuples + ", " + rounds
                    + ", " + warmups);
        }
        return new AggregateBench(bootstrapServers, registryUrl, out).measure(tuples, warmups, rounds);
    }

    private Figures measure(int tuples, int warmups, int rounds) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Topic<String, Block> l1 = topics.blocks(Network.LAYER1);
            Topic<String, Block> l2 = topics.blocks(Network.LAYER2);
            TopicAdmin.ensure(admin, (short) 1, l1, l2);
            // one more layer1 block (and its layer2 blocks), so the last measured tuple's window closes
            fill(l1, l2, tuples + 1);
            List<Double> passThrough = new ArrayList<>();
            List<Double> aggregator = new ArrayList<>();
            out.printf("load average before the passes: %s%n", BenchRounds.loadAverage());
            for (int pass = 1; pass <= warmups + rounds; pass++) {
                boolean counted = pass > warmups;
                double forwarded = passThrough(admin, l1, l2, tuples, pass);
                double synced = aggregator(admin, tuples, pass);
                out.printf("%s %d: pass-through %,.0f tuples/s, l1_l2_block_sync %,.0f tuples/s (%,d tuples, "
                        + "checked)%n", counted ? "round" : "warm-up", counted ? pass - warmups : pass, forwarded,
                        synced, tuples);
                if (counted) {
                    passThrough.add(forwarded);
                    aggregator.add(synced);
                }
            }
            out.printf("load average after the passes: %s%n", BenchRounds.loadAverage());
            Figures figures = new Figures(tuples, passThrough, aggregator);
            out.println(figures.line());
            return figures;
        } finally {
            deleteStateDir();
        }
    }

    /** Layer1 block {@code n}'s time is {@code 2n} s after genesis, layer2 block {@code m}'s {@code m} s. */
    private static Block block(Network network, long number, long time) {
        return Block.newBuilder(BenchBlocks.block(number, 2, 5)).setNetwork(network.label())
                .setHash(BenchBlocks.hex(number * 10 + network.id(), 64)).setTimestamp(time).build();
    }

    /** Both topics, produced interleaved in block time: layer1 block n after layer2 blocks 2n-1 and 2n. */
    private void fill(Topic<String, Block> l1, Topic<String, Block> l2, int l1Blocks) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
        long start = System.nanoTime();
        long lastLine = start;
        try (var producer = new KafkaProducer<>(props, l1.keySerde().serializer(), l1.valueSerde().serializer())) {
            for (long n = 1; n <= l1Blocks; n++) {
                for (long m = L1_BLOCK_TIME * (n - 1) + 1; m <= L1_BLOCK_TIME * n; m++) {
                    producer.send(new ProducerRecord<>(l2.name(), Long.toString(m),
                            block(Network.LAYER2, m, GENESIS_TIME + m)));
                }
                producer.send(new ProducerRecord<>(l1.name(), Long.toString(n),
                        block(Network.LAYER1, n, GENESIS_TIME + L1_BLOCK_TIME * n)));
                if (System.nanoTime() - lastLine > TimeUnit.SECONDS.toNanos(3) || n == l1Blocks) {
                    lastLine = System.nanoTime();
                    out.printf("filling %s and %s: %,d/%,d layer1 blocks (%,.0f blocks/s, both networks)%n", l1.name(),
                            l2.name(), n, l1Blocks, n * (1 + L1_BLOCK_TIME) / ((lastLine - start) / 1e9));
                }
            }
            producer.flush();
        }
    }

    /**
     * The baseline: both topics read, every record forwarded unchanged to one topic, exactly once;
     * timed from RUNNING until it has forwarded every record of the measured span.
     */
    private double passThrough(Admin admin, Topic<String, Block> l1, Topic<String, Block> l2, int tuples, int pass) {
        String applicationId = topics.names().namespace() + ".bench.pass-through-" + pass;
        Topic<String, Block> sink = new Topic<>(applicationId + ".out", l1.keySerde(), l1.valueSerde(), 1, Map.of());
        TopicAdmin.ensure(admin, (short) 1, sink);
        long expected = (long) tuples * (1 + L1_BLOCK_TIME);
        AtomicLong forwarded = new AtomicLong();
        Topology topology = new Topology();
        topology.addSource("blocks", l1.keySerde().deserializer(), l1.valueSerde().deserializer(), l1.name(), l2.name());
        topology.addProcessor("forward", () -> new org.apache.kafka.streams.processor.api.Processor<String, Block,
                String, Block>() {
            private org.apache.kafka.streams.processor.api.ProcessorContext<String, Block> context;

            @Override
            public void init(org.apache.kafka.streams.processor.api.ProcessorContext<String, Block> context) {
                this.context = context;
            }

            @Override
            public void process(org.apache.kafka.streams.processor.api.Record<String, Block> record) {
                context.forward(record);
                if (record.value().getNumber() <= measuredHeight(record.value(), tuples)) {
                    forwarded.incrementAndGet();
                }
            }
        }, "blocks");
        topology.addSink("out", sink.name(), sink.keySerde().serializer(), sink.valueSerde().serializer(), "forward");
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, BranchSettings.MAX_COMMIT_INTERVAL.toMillis());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        double rate = timed(new KafkaStreams(topology, props), applicationId, () -> forwarded.get() >= expected,
                tuples, "pass-through " + pass);
        List<AggregateOutputCheck.Forwarded> written = new ArrayList<>();
        CommittedRecords.forEach(bootstrapServers, sink.name(), new StringDeserializer(),
                sink.valueSerde().deserializer(), TIMEOUT,
                (key, b) -> written.add(new AggregateOutputCheck.Forwarded(b.getNetwork(), b.getNumber())));
        AggregateOutputCheck.forwarded(written, tuples, "pass " + pass);
        return rate;
    }

    /** The height of the measured span on a block's network. */
    private static long measuredHeight(Block block, int tuples) {
        return block.getNetwork().equals(Network.LAYER1.label()) ? tuples : (long) tuples * L1_BLOCK_TIME;
    }

    /**
     * A live l1_l2_block_sync pipeline on layer1, as the runtime builds its shared branch, reading
     * both topics from their start (a new group: {@code auto.offset.reset=earliest}).
     */
    private double aggregator(Admin admin, int tuples, int pass) {
        PipelinePID pid = PipelinePID.of(PipelineType.LIVE,
                registry.resolve(Registers.L1_L2_BLOCK_SYNC.name(), Network.LAYER1));
        PUUID puuid = PUUID.random(pid);
        PipelineSpec spec = PipelineSpec.newBuilder()
                // the shared live branch (not a backfill's, which carries a merge fence), one per pass
                .setPuuid(puuid.toString()).setPid(pid.toString())
                .setPrefix(topics.names().pipelinePrefix(pid) + "-" + pass)
                .setNetwork(Network.LAYER1.label()).setType(io.pessimism.avro.PipelineType.LIVE)
                .setRegister(Registers.L1_L2_BLOCK_SYNC.name()).setStartHeight(null).setEndHeight(null)
                .setOwners(List.of("bench")).setDesiredState(DesiredState.RUNNING)
                .setCreatedAt(System.currentTimeMillis()).setMergedInto(null).build();
        BranchDefinition branch = BranchDefinition.of(spec, registry);
        TopologyGenerator generator = new TopologyGenerator(ComponentCatalog.standard(), topics);
        TopicAdmin.ensure(admin, (short) 1, generator.topicsOf(branch));
        var settings = new BranchSettings(bootstrapServers, stateDir, (short) 1, BranchSettings.MAX_COMMIT_INTERVAL,
                1024 * 1024, 64L * 1024 * 1024, Duration.ofSeconds(1), Map.of());
        BranchCounters counters = new BranchCounters();
        KafkaStreams streams = new KafkaStreams(generator.build(branch, counters),
                BranchProperties.of(settings, topics, branch, counters));
        // the height passes a trigger once its tuple is out (the aggregator holds the oldest waiting one)
        double rate = timed(streams, topics.names().applicationId(spec.getPrefix()),
                () -> counters.height().orElse(0) >= tuples, tuples, "l1_l2_block_sync " + pass);
        check(topics.names().out(spec.getPrefix()), tuples, pass);
        return rate;
    }

    /** Runs {@code streams} from its topics' start, timed from RUNNING until {@code done}; layer1 blocks per second. */
    private static double timed(KafkaStreams streams, String applicationId, BooleanSupplier done, int tuples,
            String what) {
        return tuples / TimedStreams.run(streams, applicationId, done::getAsBoolean, 1, TIMEOUT, what).seconds();
    }

    /** The pass's .out, checked by {@link AggregateOutputCheck#tuples}. */
    private void check(String topic, int tuples, int pass) {
        List<L1L2BlockSync> read = new ArrayList<>();
        CommittedRecords.forEach(bootstrapServers, topic, new StringDeserializer(),
                topics.valueSerde(L1L2BlockSyncOutput.class).deserializer(), TIMEOUT, (key, v) -> {
            if (v.getValue() != null) {
                read.add(v.getValue());
            }
        });
        AggregateOutputCheck.tuples(read, tuples, "pass " + pass);
    }

    private void deleteStateDir() {
        try (var paths = Files.walk(stateDir)) {
            paths.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            out.println("could not delete " + stateDir + ": " + e.getMessage());
        }
    }
}
