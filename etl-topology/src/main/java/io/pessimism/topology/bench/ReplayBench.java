package io.pessimism.topology.bench;

import io.pessimism.avro.Block;
import io.pessimism.avro.DesiredState;
import io.pessimism.avro.EventLogOutput;
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
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * {@code pessimism bench replay}: blocks/s of an {@code event_log} backtest over a pre-filled block
 * topic (the generated topology with its range gate and end, {@code exactly_once_v2}, as the
 * runtime runs it) versus a plain {@code read_committed} consumer that reads and decodes the same
 * range, in one run. Warm-up passes of each (not counted), then alternating rounds; the medians and
 * the spread are reported. Every backtest round writes a fresh {@code .out} whose records are
 * counted and checked against what the blocks hold; a wrong round fails the bench.
 *
 * <p>The backtest is timed from the moment its Kafka Streams instance is RUNNING until its range is
 * done (end marker and DONE forwarded; committed at the next commit, at most 100 ms later); the
 * consumer from its first poll until it has decoded the range's last block. The topic holds
 * {@link #WINDOW} blocks past the range, which only the backtest reads (to know its end is final).
 * Each pass also says what it cost in CPU: this JVM's core-seconds (the broker runs in it too) and
 * the machine's share of its cores while it ran; for the backtest, how busy its one stream thread
 * was over the timed part: near 100% means the backtest is bound by that thread, not by waiting.
 */
public final class ReplayBench {

    /** The reorg window of the bench: a backtest's end is final this many blocks on. */
    static final int WINDOW = 8;
    /** A lighter block than {@link PipeBench}'s: a replay is about many blocks. */
    static final int TRANSACTIONS = 10;
    static final int LOGS = 8;
    private static final Duration TIMEOUT = Duration.ofMinutes(15);

    /**
     * One run's figures.
     *
     * @param consumerRounds blocks/s of each counted plain-consumer round
     * @param backtestRounds blocks/s of each counted backtest round
     * @param records        data records each backtest round emitted (and the marker counted)
     */
    public record Figures(long blocks, List<Double> consumerRounds, List<Double> backtestRounds, long records,
            List<Double> streamThreadBusy) {

        public double consumerMedian() {
            return median(consumerRounds);
        }

        public double backtestMedian() {
            return median(backtestRounds);
        }

        /** The backtest's median over the consumer's; the target is at least 0.8. */
        public double ratio() {
            return backtestMedian() / consumerMedian();
        }

        static double median(List<Double> values) {
            return BenchRounds.median(values);
        }

        public String line() {
            return String.format("bench replay: %,d blocks; plain read_committed consumer %,.0f blocks/s (rounds %,.0f..%,.0f), "
                            + "event_log backtest %,.0f blocks/s (rounds %,.0f..%,.0f); ratio of medians %.2f "
                            + "(target >= 0.80); %,d records per backtest round, each checked",
                    blocks, consumerMedian(), Collections.min(consumerRounds), Collections.max(consumerRounds),
                    backtestMedian(), Collections.min(backtestRounds), Collections.max(backtestRounds), ratio(),
                    records) + String.format("; the backtest's stream thread busy %.0f%% of its time (median)",
                    100 * median(streamThreadBusy));
        }
    }

    private final String bootstrapServers;
    private final Topics topics;
    private final Registry registry = Registry.standard();
    private final Path stateDir;
    private final PrintStream out;

    ReplayBench(String bootstrapServers, String registryUrl, PrintStream out) {
        this.bootstrapServers = bootstrapServers;
        String namespace = "replay" + UUID.randomUUID().toString().substring(0, 8);
        this.topics = new Topics(new TopicNames(namespace), new RestSchemaRegistryClient(registryUrl), -1);
        this.out = out;
        try {
            this.stateDir = Files.createTempDirectory("pessimism-replay");
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a state directory for the bench", e);
        }
    }

    /** Fills a topic with {@code blocks} (+ the window) blocks, then measures both readers and prints the figures. */
    public static Figures run(String bootstrapServers, String registryUrl, int blocks, int warmups, int rounds,
            PrintStream out) {
        if (blocks < 1 || rounds < 1 || warmups < 0) {
            throw new IllegalArgumentException("blocks and rounds must be >= 1, warm-ups >= 0: " + blocks + ", "
                    + rounds + ", " + warmups);
        }
        return new ReplayBench(bootstrapServers, registryUrl, out).measure(blocks, warmups, rounds);
    }

    Figures measure(int blocks, int warmups, int rounds) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Topic<String, Block> source = topics.blocks(Network.LAYER1);
            TopicAdmin.ensure(admin, (short) 1, source, topics.state(), topics.pipelineStatus());
            BenchBlocks.fill(bootstrapServers, source, blocks + WINDOW, TRANSACTIONS, LOGS, out);
            List<Double> consumer = new ArrayList<>();
            List<Double> backtest = new ArrayList<>();
            List<Double> busy = new ArrayList<>();
            long records = -1;
            out.printf("load average before the passes: %s%n", BenchRounds.loadAverage());
            for (int pass = 1; pass <= warmups + rounds; pass++) {
                boolean counted = pass > warmups;
                PassCpu cpu = PassCpu.start();
                double read = plainConsumer(source, blocks);
                PassCpu consumerCpu = cpu.end();
                cpu = PassCpu.start();
                Run run = backtest(admin, blocks, pass);
                PassCpu backtestCpu = cpu.end();
                records = run.records();
                out.printf("%s %d: plain consumer %,.0f blocks/s (%s), backtest %,.0f blocks/s (%s, stream thread busy "
                                + "%.0f%%; %,d records, checked)%n", counted ? "round" : "warm-up",
                        counted ? pass - warmups : pass, read, consumerCpu, run.rate(), backtestCpu,
                        100 * run.streamThreadBusy(), run.records());
                if (counted) {
                    consumer.add(read);
                    backtest.add(run.rate());
                    busy.add(run.streamThreadBusy());
                }
            }
            out.printf("load average after the passes: %s%n", BenchRounds.loadAverage());
            Figures figures = new Figures(blocks, consumer, backtest, records, busy);
            out.println(figures.line());
            return figures;
        } finally {
            deleteStateDir();
        }
    }

    /** The consumer baseline: reads and decodes blocks 1..{@code blocks} with read_committed, and nothing else. */
    private double plainConsumer(Topic<String, Block> source, int blocks) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "pessimism-bench-replay-consumer");
        TopicPartition partition = new TopicPartition(source.name(), 0);
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), source.valueSerde().deserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long start = System.nanoTime();
            long deadline = start + TIMEOUT.toNanos();
            long seen = 0;
            long logs = 0;
            while (seen < blocks) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the plain consumer read " + seen + " of " + blocks
                            + " blocks within " + TIMEOUT);
                }
                for (ConsumerRecord<String, Block> record : consumer.poll(Duration.ofMillis(100))) {
                    if (record.value().getNumber() <= blocks) {
                        seen++;
                        logs += record.value().getLogs().size(); // decoded, and used
                    }
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (logs != (long) blocks * LOGS) {
                throw new IllegalStateException("the plain consumer decoded " + logs + " logs, not " + (long) blocks * LOGS);
            }
            return blocks / seconds;
        }
    }

    /** @param streamThreadBusy the CPU time of the backtest's stream thread over the timed part's wall time */
    private record Run(double rate, long records, double streamThreadBusy) {
    }

    /** One backtest [1, blocks] with its own PUUID (own prefix, group and .out), timed and checked. */
    private Run backtest(Admin admin, int blocks, int pass) {
        PipelinePID pid = PipelinePID.of(PipelineType.BACKTEST,
                registry.resolve(Registers.EVENT_LOG.name(), Network.LAYER1));
        PUUID puuid = PUUID.random(pid);
        PipelineSpec spec = PipelineSpec.newBuilder()
                .setPuuid(puuid.toString()).setPid(pid.toString()).setPrefix(topics.names().pipelinePrefix(puuid, false))
                .setNetwork(Network.LAYER1.label()).setType(io.pessimism.avro.PipelineType.BACKTEST)
                .setRegister(Registers.EVENT_LOG.name()).setStartHeight(1L).setEndHeight((long) blocks)
                .setOwners(List.of("bench")).setDesiredState(DesiredState.RUNNING)
                .setCreatedAt(System.currentTimeMillis()).setMergedInto(null).build();
        BenchBlocks.watch(bootstrapServers, topics, spec.getPuuid(), 1L);
        BranchDefinition branch = BranchDefinition.of(spec, registry);
        TopologyGenerator generator = new TopologyGenerator(ComponentCatalog.standard(), topics,
                ReorgWindows.everywhere(WINDOW));
        TopicAdmin.ensure(admin, (short) 1, generator.topicsOf(branch));
        var settings = new BranchSettings(KafkaConnection.plaintext(bootstrapServers), stateDir, (short) 1, BranchSettings.MAX_COMMIT_INTERVAL,
                1024 * 1024, 64L * 1024 * 1024, Duration.ofSeconds(1), Map.of());
        BranchCounters counters = new BranchCounters();
        KafkaStreams streams = new KafkaStreams(generator.build(branch, counters),
                BranchProperties.of(settings, topics, branch, counters));
        TimedStreams.Timing timing = TimedStreams.run(streams, topics.names().applicationId(spec.getPrefix()),
                counters::isRangeDone, 1, TIMEOUT, "backtest " + spec.getPuuid());
        long records = checkOutput(topics.names().out(spec.getPrefix()), blocks, pass);
        return new Run(blocks / timing.seconds(), records, timing.streamThreadBusy());
    }

    /** The round's .out: exactly the watched logs of blocks 1..blocks, in order, then the end marker counting them. */
    private long checkOutput(String topic, int blocks, int pass) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        TopicPartition partition = new TopicPartition(topic, 0);
        var values = topics.valueSerde(EventLogOutput.class).deserializer();
        long expected = (long) blocks * BenchBlocks.WATCHED_PER_BLOCK;
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), values)) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            long data = 0;
            long lastBlock = 0;
            EventLogOutput marker = null;
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, EventLogOutput> record : consumer.poll(Duration.ofMillis(200))) {
                    EventLogOutput value = record.value();
                    if (value.getBacktestEnd() != null) {
                        marker = value;
                        continue;
                    }
                    long block = value.getEnvelope().getBlockNumber();
                    if (marker != null || block < lastBlock || block > blocks || value.getEnvelope().getRemoved()) {
                        throw new IllegalStateException("round " + pass + ": record of block " + block
                                + " out of order, out of range, retracted or after the end marker on " + topic);
                    }
                    lastBlock = block;
                    data++;
                }
            }
            if (marker == null || data != expected || marker.getBacktestEnd().getRecords() != expected) {
                throw new IllegalStateException("round " + pass + ": " + topic + " holds " + data + " records and "
                        + (marker == null ? "no end marker" : "an end marker counting "
                        + marker.getBacktestEnd().getRecords()) + "; expected " + expected + " and a marker");
            }
            return data;
        }
    }

    private void deleteStateDir() {
        try (Stream<Path> paths = Files.walk(stateDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            out.println("could not delete " + stateDir + ": " + e);
        }
    }
}
