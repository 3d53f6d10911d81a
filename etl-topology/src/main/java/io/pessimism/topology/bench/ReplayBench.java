package io.pessimism.topology.bench;

import com.sun.management.OperatingSystemMXBean;
import io.pessimism.avro.AddressInterest;
import io.pessimism.avro.Block;
import io.pessimism.avro.DesiredState;
import io.pessimism.avro.EventLogOutput;
import io.pessimism.avro.PipelineSpec;
import io.pessimism.id.PUUID;
import io.pessimism.id.PipelinePID;
import io.pessimism.interest.InterestHorizon;
import io.pessimism.interest.InterestKey;
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
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
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
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.CloseOptions;
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

    private static final OperatingSystemMXBean CPU = ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class);
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

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
            fill(source, blocks + WINDOW);
            List<Double> consumer = new ArrayList<>();
            List<Double> backtest = new ArrayList<>();
            List<Double> busy = new ArrayList<>();
            long records = -1;
            out.printf("load average before the passes: %s%n", BenchRounds.loadAverage());
            for (int pass = 1; pass <= warmups + rounds; pass++) {
                boolean counted = pass > warmups;
                Cpu cpu = Cpu.start();
                double read = plainConsumer(source, blocks);
                Cpu consumerCpu = cpu.end();
                cpu = Cpu.start();
                Run run = backtest(admin, blocks, pass);
                Cpu backtestCpu = cpu.end();
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

    /** This JVM's CPU time and the machine's load over one pass. */
    private record Cpu(long jvmNanos, double machine) {

        /** Starts an interval: the machine's load is measured from this call on. */
        static Cpu start() {
            CPU.getCpuLoad();
            return new Cpu(CPU.getProcessCpuTime(), 0);
        }

        Cpu end() {
            return new Cpu(CPU.getProcessCpuTime() - jvmNanos, Math.max(0, CPU.getCpuLoad()));
        }

        @Override
        public String toString() {
            return String.format("JVM %.2f core-s, machine %.0f%%", jvmNanos / 1e9, 100 * machine);
        }
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
        watch(spec);
        BranchDefinition branch = BranchDefinition.of(spec, registry);
        TopologyGenerator generator = new TopologyGenerator(ComponentCatalog.standard(), topics,
                ReorgWindows.everywhere(WINDOW));
        TopicAdmin.ensure(admin, (short) 1, generator.topicsOf(branch));
        var settings = new BranchSettings(bootstrapServers, stateDir, (short) 1, BranchSettings.MAX_COMMIT_INTERVAL,
                1024 * 1024, 64L * 1024 * 1024, Duration.ofSeconds(1), Map.of());
        BranchCounters counters = new BranchCounters();
        KafkaStreams streams = new KafkaStreams(generator.build(branch, counters),
                BranchProperties.of(settings, topics, branch, counters));
        try {
            streams.start(); // a new group starts at the topic's beginning: block 1
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (streams.state() != KafkaStreams.State.RUNNING) {
                check(streams, deadline, spec);
                TimeUnit.MILLISECONDS.sleep(5);
            }
            long streamThread = streamThread(topics.names().applicationId(spec.getPrefix()));
            long start = System.nanoTime();
            long startCpu = THREADS.getThreadCpuTime(streamThread);
            while (!counters.isRangeDone()) {
                check(streams, deadline, spec);
                TimeUnit.MILLISECONDS.sleep(1); // the clock of the measure, as the consumer's poll loop is its own
            }
            long wall = System.nanoTime() - start;
            double busy = (double) (THREADS.getThreadCpuTime(streamThread) - startCpu) / wall;
            double seconds = wall / 1e9;
            streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(30)));
            long records = checkOutput(topics.names().out(spec.getPrefix()), blocks, pass);
            return new Run(blocks / seconds, records, busy);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while measuring backtest " + pass, e);
        } finally {
            streams.close(Duration.ofSeconds(30));
            streams.cleanUp();
        }
    }

    /** The id of the one stream thread of the branch with this application id (it is RUNNING). */
    private static long streamThread(String applicationId) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(applicationId) && t.getName().contains("-StreamThread-"))
                .mapToLong(Thread::getId).findFirst()
                .orElseThrow(() -> new IllegalStateException("no stream thread of " + applicationId + " is running"));
    }

    private static void check(KafkaStreams streams, long deadline, PipelineSpec spec) {
        if (streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.NOT_RUNNING) {
            throw new IllegalStateException("backtest " + spec.getPuuid() + " stopped in " + streams.state());
        }
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("backtest " + spec.getPuuid() + " not done within " + TIMEOUT);
        }
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

    private void watch(PipelineSpec spec) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        var state = topics.state();
        try (var producer = new KafkaProducer<>(props, state.keySerde().serializer(), state.valueSerde().serializer())) {
            var interest = new AddressInterest(spec.getPuuid(), BenchBlocks.WATCHED, "bench",
                    List.of(BenchBlocks.PING), 1L);
            producer.send(new ProducerRecord<>(state.name(), InterestKey.of(interest).render(), interest));
            // no control plane here: every interest is confirmed, so no block is held for the horizon
            producer.send(new ProducerRecord<>(state.name(), InterestHorizon.key(Network.LAYER1),
                    InterestHorizon.record(Network.LAYER1, Long.MAX_VALUE)));
            producer.flush();
        }
    }

    private void fill(Topic<String, Block> source, int count) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
        long start = System.nanoTime();
        long lastLine = start;
        try (var producer = new KafkaProducer<>(props, source.keySerde().serializer(), source.valueSerde().serializer())) {
            for (long n = 1; n <= count; n++) {
                producer.send(new ProducerRecord<>(source.name(), Long.toString(n),
                        BenchBlocks.block(n, TRANSACTIONS, LOGS)));
                long now = System.nanoTime();
                if (now - lastLine > TimeUnit.SECONDS.toNanos(3) || n == count) {
                    lastLine = now;
                    out.printf("filling %s: %,d/%,d blocks (%,.0f blocks/s)%n", source.name(), n, count,
                            n / ((now - start) / 1e9));
                }
            }
            producer.flush();
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
