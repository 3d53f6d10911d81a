package io.pessimism.topology.bench;

import io.pessimism.avro.Block;
import io.pessimism.avro.DesiredState;
import io.pessimism.avro.L1L2BlockSync;
import io.pessimism.avro.L1L2BlockSyncOutput;
import io.pessimism.avro.PipelineSpec;
import io.pessimism.config.KafkaConnection;
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
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;

/**
 * {@code pessimism bench aggregate}: tuples/s of {@code l1_l2_block_sync} triggered on layer1 (the
 * generated topology, {@code exactly_once_v2}, as the runtime runs a live pipeline) over pre-filled
 * block topics of both networks (layer1 every 2 s, layer2 every second of block time, produced
 * interleaved in time as two oracles would), versus two hand-written Kafka Streams jobs with the
 * same source serde and a live branch's properties: the pass-through (every record of both
 * topics forwarded unchanged to one topic, no join: it writes three whole blocks per tuple, more
 * bytes than the aggregator's one tuple of block references, so it is not a ceiling) and
 * decode-and-drop (reads, decodes and commits both topics, writes nothing: the floor of work any
 * job over them does, so the aggregator's ratio to it is at most 1). In one run: warm-up passes,
 * then rounds in alternating order; medians and spread. All are reported as layer1 blocks (tuples)
 * per second over the same input. Every round's output is checked: the aggregator's a tuple per
 * layer1 block with every layer2 block once, in its window; the baselines' every record once.
 */
public final class AggregateBench {

    /** Block-time seconds between layer1 blocks; layer2 has one a second. */
    static final int L1_BLOCK_TIME = 2;
    private static final long GENESIS_TIME = 1_700_000_000L;
    private static final Duration TIMEOUT = Duration.ofMinutes(15);

    /**
     * One run's figures, in layer1 blocks (tuples) per second: the pass-through the issue names as
     * the baseline, the decode-and-drop ceiling (reads, decodes and commits both topics, writes
     * nothing: no job over these topics can be faster) and the aggregator.
     */
    public record Figures(long tuples, List<Double> passThroughRounds, List<Double> ceilingRounds,
            List<Double> aggregatorRounds) {

        public double passThroughMedian() {
            return BenchRounds.median(passThroughRounds);
        }

        public double ceilingMedian() {
            return BenchRounds.median(ceilingRounds);
        }

        public double aggregatorMedian() {
            return BenchRounds.median(aggregatorRounds);
        }

        /** The aggregator's median over the pass-through's; the target is at least 0.7. */
        public double ratio() {
            return aggregatorMedian() / passThroughMedian();
        }

        /** The aggregator's median over the ceiling's: at most 1 up to noise; the honest share of the floor. */
        public double ceilingRatio() {
            return aggregatorMedian() / ceilingMedian();
        }

        public String line() {
            return String.format("bench aggregate: %,d layer1 + %,d layer2 blocks; pass-through %s, decode-and-drop "
                            + "%s, l1_l2_block_sync %s; ratio of medians to the pass-through %.2f (target >= 0.70), "
                            + "to decode-and-drop %.2f (<= 1); every round's output checked",
                    tuples, tuples * L1_BLOCK_TIME, spread(passThroughRounds), spread(ceilingRounds),
                    spread(aggregatorRounds), ratio(), ceilingRatio());
        }

        private static String spread(List<Double> rounds) {
            return String.format("%,.0f tuples/s (rounds %,.0f..%,.0f)", BenchRounds.median(rounds),
                    Collections.min(rounds), Collections.max(rounds));
        }
    }

    /** The hand-written jobs the aggregator is compared with. */
    private enum Baseline {
        /** Every record of both topics forwarded unchanged to one topic (the baseline). */
        PASS_THROUGH("pass-through"),
        /** Every record of both topics decoded and dropped: the read, decode and commit floor. */
        DECODE_AND_DROP("decode-and-drop");

        final String label;

        Baseline(String label) {
            this.label = label;
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
            List<Double> ceiling = new ArrayList<>();
            List<Double> aggregator = new ArrayList<>();
            out.printf("load average before the passes: %s%n", BenchRounds.loadAverage());
            for (int pass = 1; pass <= warmups + rounds; pass++) {
                boolean counted = pass > warmups;
                // alternate the order, so neither side always runs on a warmer (or more loaded) machine
                double forwarded;
                double dropped;
                double synced;
                if (pass % 2 == 1) {
                    forwarded = baseline(admin, l1, l2, tuples, pass, Baseline.PASS_THROUGH);
                    dropped = baseline(admin, l1, l2, tuples, pass, Baseline.DECODE_AND_DROP);
                    synced = aggregator(admin, tuples, pass);
                } else {
                    synced = aggregator(admin, tuples, pass);
                    dropped = baseline(admin, l1, l2, tuples, pass, Baseline.DECODE_AND_DROP);
                    forwarded = baseline(admin, l1, l2, tuples, pass, Baseline.PASS_THROUGH);
                }
                out.printf("%s %d: pass-through %,.0f, decode-and-drop %,.0f, l1_l2_block_sync %,.0f tuples/s "
                        + "(%,d tuples, checked; load %s)%n", counted ? "round" : "warm-up",
                        counted ? pass - warmups : pass, forwarded, dropped, synced, tuples, BenchRounds.loadAverage());
                if (counted) {
                    passThrough.add(forwarded);
                    ceiling.add(dropped);
                    aggregator.add(synced);
                }
            }
            out.printf("load average after the passes: %s%n", BenchRounds.loadAverage());
            Figures figures = new Figures(tuples, passThrough, ceiling, aggregator);
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
     * A baseline: both topics read with the aggregator's source serde and a live branch's
     * properties (exactly once, commit interval, caches, producer batches); every record forwarded
     * unchanged to one topic, or decoded and dropped; timed from RUNNING until every record of the
     * measured span went through, then its output (or what it decoded) checked.
     */
    private double baseline(Admin admin, Topic<String, Block> l1, Topic<String, Block> l2, int tuples, int pass,
            Baseline baseline) {
        String prefix = topics.names().namespace() + ".bench." + baseline.label + "-" + pass;
        Topic<String, Block> sink = new Topic<>(topics.names().out(prefix), l1.keySerde(), l1.valueSerde(), 1,
                Map.of());
        TopicAdmin.ensure(admin, (short) 1, topics.dlq(prefix));
        long expected = (long) tuples * (1 + L1_BLOCK_TIME);
        AtomicLong seen = new AtomicLong();
        List<AggregateOutputCheck.Forwarded> decoded = Collections.synchronizedList(new ArrayList<>());
        boolean forward = baseline == Baseline.PASS_THROUGH;
        Topology topology = new Topology();
        topology.addSource("blocks", l1.keySerde().deserializer(), l1.valueSerde().deserializer(), l1.name(), l2.name());
        topology.addProcessor(baseline.label, () -> new org.apache.kafka.streams.processor.api.Processor<String, Block,
                String, Block>() {
            private org.apache.kafka.streams.processor.api.ProcessorContext<String, Block> context;

            @Override
            public void init(org.apache.kafka.streams.processor.api.ProcessorContext<String, Block> context) {
                this.context = context;
            }

            @Override
            public void process(org.apache.kafka.streams.processor.api.Record<String, Block> record) {
                if (forward) {
                    context.forward(record);
                } else {
                    decoded.add(new AggregateOutputCheck.Forwarded(record.value().getNetwork(),
                            record.value().getNumber()));
                }
                if (record.value().getNumber() <= measuredHeight(record.value(), tuples)) {
                    seen.incrementAndGet();
                }
            }
        }, "blocks");
        if (forward) {
            TopicAdmin.ensure(admin, (short) 1, sink);
            topology.addSink("out", sink.name(), sink.keySerde().serializer(), sink.valueSerde().serializer(),
                    baseline.label);
        }
        Properties props = BranchProperties.of(settings(), topics, prefix, new BranchCounters());
        double rate = timed(new KafkaStreams(topology, props), topics.names().applicationId(prefix),
                () -> seen.get() >= expected, tuples, baseline.label + " " + pass);
        if (forward) {
            List<AggregateOutputCheck.Forwarded> written = new ArrayList<>();
            CommittedRecords.forEach(bootstrapServers, sink.name(), new StringDeserializer(),
                    sink.valueSerde().deserializer(), TIMEOUT,
                    (key, b) -> written.add(new AggregateOutputCheck.Forwarded(b.getNetwork(), b.getNumber())));
            AggregateOutputCheck.forwarded(written, tuples, "pass " + pass + " (" + baseline.label + ")");
        } else {
            AggregateOutputCheck.forwarded(List.copyOf(decoded), tuples, "pass " + pass + " (" + baseline.label + ")");
        }
        return rate;
    }

    /** A live branch's settings, for the aggregator and the baselines alike. */
    private BranchSettings settings() {
        return new BranchSettings(KafkaConnection.plaintext(bootstrapServers), stateDir, (short) 1, BranchSettings.MAX_COMMIT_INTERVAL,
                1024 * 1024, 64L * 1024 * 1024, Duration.ofSeconds(1), Map.of());
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
        BranchCounters counters = new BranchCounters();
        KafkaStreams streams = new KafkaStreams(generator.build(branch, counters),
                BranchProperties.of(settings(), topics, branch, counters));
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
