package io.pessimism.topology.bench;

import io.pessimism.avro.Block;
import io.pessimism.avro.DesiredState;
import io.pessimism.avro.EventLogOutput;
import io.pessimism.avro.PipelineSpec;
import io.pessimism.config.PessimismConfig;
import io.pessimism.id.PUUID;
import io.pessimism.id.PipelinePID;
import io.pessimism.interest.EventSignature;
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
import io.pessimism.topology.EnvelopeTemplate;
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
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;

/**
 * {@code pessimism bench pipe}: blocks/s of the generated event_log branch (a live pipeline's
 * branch, as the runtime builds and configures it) on one pre-filled {@code geth_block} topic,
 * against two hand-written Kafka Streams jobs with the same source serde and the same
 * {@link BranchProperties} (exactly once, commit interval, caches, producer batches):
 * <ul>
 *   <li>{@link DecodeAndDrop}: reads and decodes every block, writes nothing — the read, decode
 *       and commit ceiling; the branch's ratio to it cannot exceed 1 but by noise (target ≥ 0.8);</li>
 *   <li>{@link EventLogFilter}: emits the branch's very records for the same fixed watched
 *       (address, topic0) pair — what the generated topology costs (target ≥ 0.9).</li>
 * </ul>
 * Warm-up passes, then rounds, the three jobs in alternating order (forward, then backward), so
 * none profits alone from going first or last; medians and spread. Each job is timed from RUNNING
 * until its committed offset reaches the topic's end. Every pass's output is checked
 * ({@link PipeOutputCheck}): the branch's and the filter's every watched log once, in order, and
 * the same records; decode-and-drop's every block once. Each job's one stream thread's busy share
 * and the machine's load say what limits the figures. Everything lives under a fresh namespace.
 */
public final class PipeBench {

    /** Transactions and logs per block: a busy mainnet-like block (~30 KB), two logs of them watched. */
    static final int TRANSACTIONS = 50;
    static final int LOGS = 40;
    /** The default number of blocks: enough that a pass lasts seconds, not a JIT warm-up. */
    public static final int DEFAULT_BLOCKS = 100_000;
    private static final Duration TIMEOUT = Duration.ofMinutes(15);

    /** The three jobs, in the order of odd passes (even passes run them backwards). */
    enum Job {
        DECODE_AND_DROP("decode-and-drop"), FILTER("hand-written filter"), BRANCH("event_log branch");

        final String label;

        Job(String label) {
            this.label = label;
        }
    }

    /**
     * One job's counted pass.
     *
     * @param blocksPerSecond  blocks over the seconds from RUNNING to the last commit
     * @param streamThreadBusy the job's stream thread's CPU time over that wall time (0..1)
     * @param machine          the machine's CPU load over the pass (0..1)
     * @param jvmCoreSeconds   this JVM's CPU over the pass (the bench's broker runs in it)
     */
    public record Pass(double blocksPerSecond, double streamThreadBusy, double machine, double jvmCoreSeconds) {

        @Override
        public String toString() {
            return String.format("%,.0f blocks/s (stream thread busy %.0f%%, JVM %.1f core-s, machine %.0f%%)",
                    blocksPerSecond, 100 * streamThreadBusy, jvmCoreSeconds, 100 * machine);
        }
    }

    /**
     * One run's figures.
     *
     * @param records records each emitting pass wrote (the branch's and the filter's, each checked)
     */
    public record Figures(long blocks, long records, List<Pass> drop, List<Pass> filter, List<Pass> branch) {

        public Figures {
            drop = List.copyOf(drop);
            filter = List.copyOf(filter);
            branch = List.copyOf(branch);
        }

        public double dropMedian() {
            return median(drop, Pass::blocksPerSecond);
        }

        public double filterMedian() {
            return median(filter, Pass::blocksPerSecond);
        }

        public double branchMedian() {
            return median(branch, Pass::blocksPerSecond);
        }

        /** The branch's median over decode-and-drop's: at most 1 but by noise, the target at least 0.8. */
        public double ceilingRatio() {
            return branchMedian() / dropMedian();
        }

        /** The branch's median over the hand-written filter's: the target is at least 0.9. */
        public double filterRatio() {
            return branchMedian() / filterMedian();
        }

        public String line() {
            return String.format("bench pipe: %,d blocks (%d transactions, %d logs each), %,d records per emitting "
                            + "pass; decode-and-drop %s, hand-written filter %s, event_log branch %s; "
                            + "branch/decode-and-drop %.2f (at most 1; target >= 0.80)%s, branch/filter %.2f "
                            + "(target >= 0.90); every pass's output checked (the branch's and the filter's records "
                            + "the same); limited by: %s",
                    blocks, TRANSACTIONS, LOGS, records, rounds(drop), rounds(filter), rounds(branch), ceilingRatio(),
                    ceilingRatio() > 1 ? " ABOVE 1: the rounds are noisier than the difference" : "", filterRatio(),
                    limit());
        }

        /** What limits the branch: its stream thread when that is nearly always busy, else the cores or waiting. */
        public String limit() {
            double busy = median(branch, Pass::streamThreadBusy);
            double machine = median(branch, Pass::machine);
            String threads = String.format("stream threads busy (medians) drop %.0f%%, filter %.0f%%, branch %.0f%%",
                    100 * median(drop, Pass::streamThreadBusy), 100 * median(filter, Pass::streamThreadBusy),
                    100 * busy);
            if (busy >= 0.85) {
                return "the branch's one stream thread (CPU: one partition, one task); " + threads;
            }
            if (machine >= 0.85) {
                return String.format("the cores (machine %.0f%% busy in branch passes: the broker in this JVM, the "
                        + "producer and consumer threads, other work); %s", 100 * machine, threads);
            }
            return String.format("waiting (neither the stream thread nor the cores are saturated: machine %.0f%%), "
                    + "e.g. on commits; %s", 100 * machine, threads);
        }

        private static String rounds(List<Pass> passes) {
            List<Double> rates = passes.stream().map(Pass::blocksPerSecond).toList();
            return String.format("%,.0f blocks/s (rounds %,.0f..%,.0f)", BenchRounds.median(rates),
                    Collections.min(rates), Collections.max(rates));
        }

        private static double median(List<Pass> passes, java.util.function.ToDoubleFunction<Pass> value) {
            return BenchRounds.median(passes.stream().map(value::applyAsDouble).toList());
        }
    }

    private final String bootstrapServers;
    private final Topics topics;
    private final Registry registry = Registry.standard();
    private final Path stateDir;
    private final BranchSettings settings;
    private final PrintStream out;

    private PipeBench(String bootstrapServers, String registryUrl, PrintStream out) {
        this.bootstrapServers = bootstrapServers;
        String namespace = "pipe" + UUID.randomUUID().toString().substring(0, 8);
        this.topics = new Topics(new TopicNames(namespace), new RestSchemaRegistryClient(registryUrl), -1);
        this.out = out;
        try {
            this.stateDir = Files.createTempDirectory("pessimism-bench-pipe");
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a state directory for the bench", e);
        }
        // the settings a live branch gets from the default configuration
        this.settings = BranchSettings.from(PessimismConfig.defaults(Map.of(
                "kafka.bootstrap.servers", bootstrapServers, "state.dir", stateDir.toString())));
    }

    /** Fills a topic with {@code blocks} blocks, then measures the three jobs and prints the figures. */
    public static Figures run(String bootstrapServers, String registryUrl, int blocks, int warmups, int rounds,
            PrintStream out) {
        if (blocks < 1 || rounds < 1 || warmups < 0) {
            throw new IllegalArgumentException("blocks and rounds must be >= 1, warm-ups >= 0: " + blocks + ", "
                    + rounds + ", " + warmups);
        }
        return new PipeBench(bootstrapServers, registryUrl, out).measure(blocks, warmups, rounds);
    }

    private Figures measure(int blocks, int warmups, int rounds) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Topic<String, Block> source = topics.blocks(Network.LAYER1);
            TopicAdmin.ensure(admin, (short) 1, source, topics.state());
            PipelineSpec spec = spec();
            BenchBlocks.watch(bootstrapServers, topics, spec.getPuuid(), 0L);
            BenchBlocks.fill(bootstrapServers, source, blocks, TRANSACTIONS, LOGS, out);
            long end = end(admin, source.name());
            Map<Job, List<Pass>> counted = new EnumMap<>(Job.class);
            for (Job job : Job.values()) {
                counted.put(job, new ArrayList<>());
            }
            long records = 0;
            out.printf("load average before the passes: %s%n", BenchRounds.loadAverage());
            for (int pass = 1; pass <= warmups + rounds; pass++) {
                boolean isRound = pass > warmups;
                String name = isRound ? "round " + (pass - warmups) : "warm-up " + pass;
                List<Job> order = new ArrayList<>(List.of(Job.values()));
                if (pass % 2 == 0) {
                    Collections.reverse(order);
                }
                Map<Job, Pass> passes = new EnumMap<>(Job.class);
                Map<Job, PipeOutputCheck.Emitted> emitted = new EnumMap<>(Job.class);
                for (Job job : order) {
                    passes.put(job, pass(admin, job, pass, name + ": the " + job.label, spec, end, blocks, emitted));
                }
                PipeOutputCheck.same(emitted.get(Job.BRANCH), emitted.get(Job.FILTER), name);
                records = emitted.get(Job.BRANCH).records();
                out.printf("%s (%s): decode-and-drop %s; filter %s; branch %s; %,d records each, the same%n", name,
                        pass % 2 == 0 ? "branch first" : "decode-and-drop first", passes.get(Job.DECODE_AND_DROP),
                        passes.get(Job.FILTER), passes.get(Job.BRANCH), records);
                if (isRound) {
                    passes.forEach((job, measured) -> counted.get(job).add(measured));
                }
            }
            out.printf("load average after the passes: %s%n", BenchRounds.loadAverage());
            Figures figures = new Figures(blocks, records, counted.get(Job.DECODE_AND_DROP), counted.get(Job.FILTER),
                    counted.get(Job.BRANCH));
            out.println(figures.line());
            return figures;
        } finally {
            deleteStateDir();
        }
    }

    /**
     * One pass of {@code job} over the topic, from its start, under a prefix (group, {@code .out})
     * of its own; an emitting job's output is checked and its summary put in {@code emitted}.
     */
    private Pass pass(Admin admin, Job job, int pass, String what, PipelineSpec spec, long end, int blocks,
            Map<Job, PipeOutputCheck.Emitted> emitted) {
        Topic<String, Block> source = topics.blocks(Network.LAYER1);
        String prefix = switch (job) {
            case DECODE_AND_DROP -> topics.names().namespace() + ".bench.drop-" + pass;
            case FILTER -> topics.names().namespace() + ".bench.filter-" + pass;
            case BRANCH -> spec.getPrefix() + "-" + pass; // as AggregateBench: the pipeline's prefix, one per pass
        };
        PassCpu cpu = PassCpu.start();
        if (job == Job.DECODE_AND_DROP) {
            var decoded = new PipeOutputCheck.Decoded(what, LOGS);
            TopicAdmin.ensure(admin, (short) 1, topics.dlq(prefix));
            Pass measured = timed(admin, prefix, DecodeAndDrop.topology(source, decoded),
                    BranchProperties.of(settings, topics, prefix, new BranchCounters()), end, blocks, cpu);
            decoded.finish(blocks);
            return measured;
        }
        // the filter's envelope is the branch's: the same pipeline, node and owners
        BranchDefinition branch = BranchDefinition.of(PipelineSpec.newBuilder(spec).setPrefix(prefix).build(), registry);
        TopologyGenerator generator = new TopologyGenerator(ComponentCatalog.standard(), topics);
        TopicAdmin.ensure(admin, (short) 1, generator.topicsOf(branch));
        Topology topology;
        Properties props;
        if (job == Job.BRANCH) {
            BranchCounters counters = new BranchCounters();
            topology = generator.build(branch, counters);
            props = BranchProperties.of(settings, topics, branch, counters);
        } else {
            var watched = new EventLogFilter.Watch(BenchBlocks.WATCHED, EventSignature.topic0(BenchBlocks.PING));
            topology = EventLogFilter.topology(source, topics.out(prefix, EventLogOutput.class),
                    new EnvelopeTemplate(branch, branch.graph().downstream()),
                    Map.of(watched, List.of(BenchBlocks.OWNER)));
            props = BranchProperties.of(settings, topics, prefix, new BranchCounters());
        }
        Pass measured = timed(admin, prefix, topology, props, end, blocks, cpu);
        var check = new PipeOutputCheck.Emissions(what, blocks, LOGS);
        CommittedRecords.forEach(bootstrapServers, topics.names().out(prefix), new StringDeserializer(),
                topics.valueSerde(EventLogOutput.class).deserializer(), TIMEOUT, check::accept);
        emitted.put(job, check.finish());
        return measured;
    }

    /** A live event_log pipeline on layer1 with a PUUID of its own; each pass gives it its own prefix. */
    private PipelineSpec spec() {
        PipelinePID pid = PipelinePID.of(PipelineType.LIVE, registry.resolve(Registers.EVENT_LOG.name(), Network.LAYER1));
        PUUID puuid = PUUID.random(pid);
        return PipelineSpec.newBuilder()
                .setPuuid(puuid.toString()).setPid(pid.toString()).setPrefix(topics.names().pipelinePrefix(pid))
                .setNetwork(Network.LAYER1.label()).setType(io.pessimism.avro.PipelineType.LIVE)
                .setRegister(Registers.EVENT_LOG.name()).setStartHeight(0L).setEndHeight(null)
                .setOwners(List.of(BenchBlocks.OWNER)).setDesiredState(DesiredState.RUNNING)
                .setCreatedAt(System.currentTimeMillis()).setMergedInto(null)
                .build();
    }

    /** Runs one job from the topic's start, timed from RUNNING until its committed offset is {@code end}. */
    private Pass timed(Admin admin, String prefix, Topology topology, Properties props, long end, int blocks,
            PassCpu cpu) {
        String group = topics.names().applicationId(prefix);
        TimedStreams.Timing timing = TimedStreams.run(new KafkaStreams(topology, props), group,
                () -> committed(admin, group) >= end, 10, TIMEOUT, prefix);
        PassCpu used = cpu.end();
        return new Pass(blocks / timing.seconds(), timing.streamThreadBusy(), used.machine(), used.jvmNanos() / 1e9);
    }

    /** The group's committed offset on the block topic, 0 before its first commit. */
    private long committed(Admin admin, String group) throws InterruptedException {
        TopicPartition source = new TopicPartition(topics.blocks(Network.LAYER1).name(), 0);
        try {
            OffsetAndMetadata committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get().get(source);
            return committed == null ? 0 : committed.offset();
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not read the offsets of " + group + ": " + e.getCause(), e);
        }
    }

    private static long end(Admin admin, String topic) {
        TopicPartition partition = new TopicPartition(topic, 0);
        try {
            return admin.listOffsets(Map.of(partition, OffsetSpec.latest())).all().get().get(partition).offset();
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not read the end of " + topic + ": " + e.getCause(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the end of " + topic, e);
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
