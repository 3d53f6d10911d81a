package io.pessimism.oracle.bench;

import com.sun.management.OperatingSystemMXBean;
import io.pessimism.avro.AccountBalance;
import io.pessimism.avro.AddressInterest;
import io.pessimism.avro.Block;
import io.pessimism.id.PUUID;
import io.pessimism.id.PipelinePID;
import io.pessimism.interest.InterestHorizon;
import io.pessimism.interest.InterestKey;
import io.pessimism.network.Network;
import io.pessimism.oracle.OracleSettings;
import io.pessimism.oracle.OracleState;
import io.pessimism.oracle.OracleStatus;
import io.pessimism.oracle.balance.AccountBalanceOracle;
import io.pessimism.oracle.balance.BalanceReader;
import io.pessimism.oracle.balance.BalanceStageTimes;
import io.pessimism.oracle.balance.BalanceTopics;
import io.pessimism.oracle.bench.BalanceOutputCheck.BenchBlock;
import io.pessimism.oracle.bench.BalanceOutputCheck.Written;
import io.pessimism.oracle.geth.GethBlockOracle;
import io.pessimism.oracle.rpc.NodeClient;
import io.pessimism.oracle.rpc.NodeHttpClients;
import io.pessimism.pipeline.PipelineType;
import io.pessimism.registry.Registry;
import io.pessimism.topic.Topic;
import io.pessimism.topic.TopicAdmin;
import io.pessimism.topic.Topics;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code pessimism bench balance}: the AccountBalance oracle against the raw ceiling of the same node,
 * for the same addresses and blocks, in one run. Set-up: blocks in which a tenth of the addresses'
 * balances change each ({@link BalanceSchedule}), the GethBlock oracle's topic holding them, and one
 * bench pipeline's interests in every address, effective from the first block, with a horizon past the
 * last. A raw pass reads every address's balance at every block's hash through the oracle's
 * {@link BalanceReader} with its batch size and concurrency, and keeps the values; an oracle pass runs a
 * fresh AccountBalance oracle (its own output topic, its consumer group starting at the first block)
 * until it has committed the last block. Warm-up passes of each kind (not counted), then raw and oracle
 * passes alternate for a number of rounds; every pass's output is checked ({@link BalanceOutputCheck})
 * and a wrong one stops the benchmark. Not a test: the figures depend on the machine. The node must be a
 * fresh anvil started with {@link #anvilArgs}.
 */
public final class BalanceBench {

    private static final OperatingSystemMXBean CPU = ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class);
    private static final Network NETWORK = Network.LAYER1;
    private static final Duration PASS_TIMEOUT = Duration.ofMinutes(30);
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(60);
    /**
     * How often a running oracle pass is looked at: the timing's resolution, and rarely enough that the
     * looking takes no CPU worth counting from the oracle.
     */
    private static final long LOOK_NANOS = 1_000_000;

    /**
     * What to measure.
     *
     * @param warmups passes of each kind run first and not counted (0 or more)
     * @param rounds counted passes of each kind, alternating raw then oracle (1 or more)
     */
    public record Plan(int addresses, int blocks, int batchSize, int concurrency, int warmups, int rounds) {
        public Plan {
            if (addresses < 1 || blocks < 1) {
                throw new IllegalArgumentException("need at least 1 address and 1 block, got " + addresses + " and "
                        + blocks);
            }
            if (batchSize < 1 || concurrency < 1) {
                throw new IllegalArgumentException("batch size and concurrency must be at least 1, got " + batchSize
                        + " and " + concurrency);
            }
            if (warmups < 0) {
                throw new IllegalArgumentException("warm-up passes must be 0 or more, got " + warmups);
            }
            if (rounds < 1) {
                throw new IllegalArgumentException("rounds must be at least 1, got " + rounds);
            }
        }
    }

    /**
     * The node's options the benchmark needs: anvil keeps only its last few hundred block states in
     * memory and moves older ones to disk, where a read by block hash is ~35 times slower; this keeps
     * every state of the benchmark's blocks (and some before) in memory.
     */
    public static List<String> anvilArgs(int blocks) {
        return List.of("--prune-history", Integer.toString(blocks + 1000));
    }

    private final String rpcUrl;
    private final Optional<ProcessHandle> node;
    private final String bootstrapServers;
    private final BalanceTopics topics;
    private final Plan plan;
    private final BalanceSchedule schedule;
    private final OracleSettings settings;
    private final PrintStream out;
    private int passes;

    /**
     * @param topics the live oracle's topics ({@code BalanceTopics.of(topics, layer1)}): the set-up fills its
     *               block and state topics; each oracle pass writes a fresh output topic, deleted afterwards
     */
    public BalanceBench(String rpcUrl, String bootstrapServers, BalanceTopics topics, Plan plan, PrintStream out) {
        this(rpcUrl, Optional.empty(), bootstrapServers, topics, plan, out);
    }

    /** @param node the node's process, whose CPU use (with its descendants') the figures then show */
    public BalanceBench(String rpcUrl, Optional<ProcessHandle> node, String bootstrapServers, BalanceTopics topics,
            Plan plan, PrintStream out) {
        this.rpcUrl = rpcUrl;
        this.node = node;
        this.bootstrapServers = bootstrapServers;
        this.topics = topics;
        this.plan = plan;
        this.schedule = new BalanceSchedule(plan.addresses(), plan.blocks());
        this.settings = OracleSettings.builder(NETWORK, rpcUrl, bootstrapServers).batchSize(plan.batchSize())
                .concurrency(plan.concurrency()).build();
        this.out = out;
    }

    /** Sets up the chain and topics, then runs the warm-ups and the rounds; every pass is checked. */
    public BalanceFigures run() throws InterruptedException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            long setupStarted = System.nanoTime();
            List<BenchBlock> blocks = setUp(admin);
            Duration setup = Duration.ofNanos(System.nanoTime() - setupStarted);
            out.printf(Locale.ROOT, "set-up: %d addresses x %d blocks (%d..%d) in %.1f s; each oracle pass must write"
                            + " %d records%n", plan.addresses(), plan.blocks(), blocks.get(0).number(),
                    blocks.get(blocks.size() - 1).number(), setup.toMillis() / 1000.0, schedule.expectedRecords());
            for (int warmup = 1; warmup <= plan.warmups(); warmup++) {
                RawRun raw = raw("warm-up " + warmup, blocks);
                OracleRun oracle = oracle("warm-up " + warmup, blocks, raw.reads(), admin);
                out.printf(Locale.ROOT, "warm-up %d: %s; %s (not counted)%n", warmup, raw.line(), oracle.line());
            }
            List<Double> raws = new ArrayList<>();
            List<Double> oracles = new ArrayList<>();
            Duration rawWall = Duration.ZERO;
            Duration oracleWall = Duration.ZERO;
            Duration open = Duration.ZERO;
            BalanceStageTimes stages = BalanceStageTimes.ZERO;
            CpuTotal rawCpu = new CpuTotal();
            CpuTotal oracleCpu = new CpuTotal();
            for (int round = 1; round <= plan.rounds(); round++) {
                RawRun raw = raw("round " + round, blocks);
                OracleRun oracle = oracle("round " + round, blocks, raw.reads(), admin);
                out.printf(Locale.ROOT, "round %d: %s; %s; ratio %.2f%n", round, raw.line(), oracle.line(),
                        oracle.perSecond() / raw.perSecond());
                raws.add(raw.perSecond());
                oracles.add(oracle.perSecond());
                rawWall = rawWall.plus(raw.wall());
                oracleWall = oracleWall.plus(oracle.wall());
                open = open.plus(oracle.open());
                stages = stages.plus(oracle.stages());
                rawCpu.add(raw.cpu(), raw.wall());
                oracleCpu.add(oracle.cpu(), oracle.wall());
            }
            return new BalanceFigures(plan.addresses(), plan.blocks(), schedule.expectedRecords(), setup,
                    plan.batchSize(), plan.concurrency(), raws, oracles, rawWall, oracleWall, open, stages,
                    rawCpu.average(), oracleCpu.average(), Runtime.getRuntime().availableProcessors());
        }
    }

    // ---- set-up ----

    /** The chain's blocks, the block topic filled with them, the interests and the horizon; the blocks. */
    private List<BenchBlock> setUp(Admin admin) throws InterruptedException {
        DevChain chain = new DevChain(rpcUrl);
        // anvil keeps the state of its newest block live: a balance set now shows at the head block's
        // hash, and stays with that block once the next is mined. So: mine the first block, then set
        // each block's balances while it is the head and mine the next.
        chain.setBalancesAndMine(Map.of());
        long first = chain.head();
        Progress mining = new Progress(out, "balances set and blocks mined", plan.blocks(), "blocks");
        for (int b = 0; b < plan.blocks(); b++) {
            chain.setBalancesAndMine(schedule.changesAt(b));
            mining.at(b + 1);
        }
        mining.done(plan.blocks());
        long last = first + plan.blocks() - 1;
        if (chain.head() != last + 1) {
            throw new IllegalStateException("the chain's head is " + chain.head() + " after mining blocks " + first
                    + ".." + (last + 1) + ": is something else mining on this node?");
        }
        fillBlockTopic(first, last);
        List<BenchBlock> blocks = readBlockTopic(admin, first, last);
        writeInterests(first, last);
        return blocks;
    }

    /** The GethBlock oracle writes blocks {@code first..last} to the block topic and stops. */
    private void fillBlockTopic(long first, long last) throws InterruptedException {
        OracleSettings blockSettings = OracleSettings.builder(NETWORK, rpcUrl, bootstrapServers).startHeight(first)
                .endHeight(last).pollInterval(Duration.ofMillis(50)).build();
        Progress progress = new Progress(out, "GethBlock oracle filling " + topics.blocks().name(), plan.blocks(),
                "blocks");
        try (GethBlockOracle oracle = new GethBlockOracle(blockSettings, topics.blocks())) {
            oracle.start();
            long deadline = System.nanoTime() + PASS_TIMEOUT.toNanos();
            while (!oracle.awaitTermination(Duration.ofMillis(200))) {
                progress.at(Math.max(0, oracle.status().oracleHead() - first + 1));
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the GethBlock oracle did not write blocks " + first + ".." + last
                            + " within " + PASS_TIMEOUT + ": " + oracle.status());
                }
            }
            OracleStatus status = oracle.status();
            if (status.state() != OracleState.DONE) {
                throw new IllegalStateException("the GethBlock oracle ended " + status.state() + ": "
                        + status.lastError().orElse("no reason"));
            }
            progress.done(status.oracleHead() - first + 1);
        }
    }

    /** Blocks {@code first..last} as the block topic holds them: number, hash, offset. */
    private List<BenchBlock> readBlockTopic(Admin admin, long first, long last) {
        List<BenchBlock> blocks = new ArrayList<>();
        for (ConsumerRecord<String, Block> record : readAll(admin, topics.blocks(), topics.blocks().valueSerde()
                .deserializer())) {
            Block block = record.value();
            if (!block.getRemoved()) {
                blocks.add(new BenchBlock(block.getNumber(), block.getHash(), record.offset()));
            }
        }
        for (int b = 0; b < blocks.size(); b++) {
            if (blocks.get(b).number() != first + b) {
                throw new IllegalStateException(topics.blocks().name() + " holds block " + blocks.get(b).number()
                        + " where block " + (first + b) + " belongs; expected exactly blocks " + first + ".." + last);
            }
        }
        if (blocks.size() != plan.blocks()) {
            throw new IllegalStateException(topics.blocks().name() + " holds " + blocks.size() + " blocks, expected "
                    + first + ".." + last);
        }
        return blocks;
    }

    /**
     * One bench pipeline's interest in every address, effective from the first block, then the horizon
     * at the last block: what the control plane would have written (docs/interests.md).
     */
    private void writeInterests(long first, long last) {
        TopicAdmin.ensure(settings.kafka(), settings.replicationFactor(), topics.state());
        String puuid = PUUID.random(PipelinePID.of(PipelineType.LIVE,
                Registry.standard().resolve("account_balance", NETWORK))).toString();
        Progress progress = new Progress(out, "interests written to " + topics.state().name(), plan.addresses(),
                "interests");
        try (KafkaProducer<String, AddressInterest> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(),
                topics.state().valueSerde().serializer())) {
            for (int i = 0; i < plan.addresses(); i++) {
                AddressInterest interest = AddressInterest.newBuilder().setPuuid(puuid)
                        .setAddress(BalanceSchedule.address(i)).setOwner("bench").setSignatures(List.of())
                        .setEffectiveFrom(first).build();
                producer.send(new ProducerRecord<>(topics.state().name(), InterestKey.of(interest).render(), interest));
                progress.at(i + 1);
            }
            producer.send(new ProducerRecord<>(topics.state().name(), InterestHorizon.key(NETWORK),
                    InterestHorizon.record(NETWORK, last))).get(KAFKA_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not write the interests to " + topics.state().name() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing the interests", e);
        }
        progress.done(plan.addresses());
    }

    // ---- passes ----

    private record RawRun(long balances, Duration wall, BalanceFigures.Cpu cpu, List<Map<String, BigInteger>> reads) {
        double perSecond() {
            return balances / seconds(wall);
        }

        String line() {
            return String.format(Locale.ROOT, "raw %,.0f balances/s (%.2f s, %d checked; CPU %s)", perSecond(),
                    seconds(wall), balances, cpu.line());
        }
    }

    /**
     * The ceiling: every address's balance at every block's hash, read through a {@link BalanceReader} with
     * the oracle's batch size, concurrency and HTTP client, all blocks at once; the values are kept (to
     * check this pass and the next oracle pass), nothing is written.
     */
    private RawRun raw(String pass, List<BenchBlock> blocks) {
        List<String> addresses = schedule.addressList();
        List<BalanceReader.Read> reads = new ArrayList<>(blocks.size());
        for (BenchBlock block : blocks) {
            reads.add(new BalanceReader.Read(block.hash(), block.number(), addresses));
        }
        try (NodeClient node = NodeClient.connect(rpcUrl, NETWORK.label(), NodeHttpClients.create(
                Duration.ofSeconds(5), settings.requestTimeout(), settings.concurrency() + 2));
                BalanceReader reader = new BalanceReader(node, settings.batchSize(), settings.concurrency(),
                        "bench-raw")) {
            settle();
            Duration nodeBefore = startCpuInterval();
            long started = System.nanoTime();
            BalanceReader.Balances result = reader.read(reads);
            Duration wall = Duration.ofNanos(System.nanoTime() - started);
            BalanceFigures.Cpu cpu = cpuInterval(nodeBefore, wall);
            if (result.failure().isPresent()) {
                throw new IllegalStateException(pass + ": the raw pass failed at block "
                        + blocks.get(result.byRead().size()).number() + ": " + result.failure().get().getMessage(),
                        result.failure().get());
            }
            long balances = result.byRead().stream().mapToLong(Map::size).sum();
            BalanceOutputCheck.raw(pass + " raw", schedule, blocks, result.byRead());
            return new RawRun(balances, wall, cpu, result.byRead());
        }
    }

    private record OracleRun(long balances, long records, Duration wall, Duration open, BalanceStageTimes stages,
            BalanceFigures.Cpu cpu, long nodeErrors, long kafkaErrors) {
        double perSecond() {
            return balances / seconds(wall);
        }

        String line() {
            return String.format(Locale.ROOT, "oracle %,.0f balances/s (%.2f s, after a %.2f s session open not"
                            + " timed; %d transactions, %d records checked%s; CPU %s)", perSecond(), seconds(wall),
                    seconds(open), stages.transactions(), records,
                    nodeErrors + kafkaErrors == 0 ? "" : "; " + nodeErrors + " node and " + kafkaErrors
                            + " Kafka errors, retried", cpu.line());
        }
    }

    /**
     * A fresh AccountBalance oracle over the same blocks into a fresh output topic, its consumer group
     * set to the first block's offset (a first start would follow the block topic from its end): timed
     * from its open session to the commit of the last block, then stopped and its output checked
     * against {@code reference}, the raw pass's reads.
     */
    private OracleRun oracle(String pass, List<BenchBlock> blocks, List<Map<String, BigInteger>> reference,
            Admin admin) throws InterruptedException {
        BalanceTopics into = topics.into(topics.output().name() + ".bench-" + (++passes) + "-"
                + System.currentTimeMillis());
        TopicPartition blockPartition = new TopicPartition(topics.blocks().name(), 0);
        long last = blocks.get(blocks.size() - 1).number();
        kafka("set the offset of group " + into.group(), () -> admin.alterConsumerGroupOffsets(into.group(),
                Map.of(blockPartition, new OffsetAndMetadata(blocks.get(0).offset()))).all());
        OracleRun run;
        try (AccountBalanceOracle oracle = new AccountBalanceOracle(settings, into, Registry.standard())) {
            settle();
            oracle.start();
            long deadline = System.nanoTime() + PASS_TIMEOUT.toNanos();
            while (oracle.stageTimes().open().isZero()) { // the session opens: producer, ledger, interests
                look(oracle, pass, deadline);
            }
            BalanceStageTimes opened = oracle.stageTimes();
            Duration nodeBefore = startCpuInterval();
            long started = System.nanoTime();
            while (oracle.status().oracleHead() < last) {
                look(oracle, pass, deadline);
            }
            Duration wall = Duration.ofNanos(System.nanoTime() - started);
            BalanceFigures.Cpu cpu = cpuInterval(nodeBefore, wall);
            BalanceStageTimes stages = oracle.stageTimes().minus(opened);
            OracleStatus status = oracle.status();
            run = new OracleRun(stages.balances(), 0, wall, opened.open(), stages, cpu, status.nodeErrors(),
                    status.kafkaErrors());
        }
        List<Written> output = new ArrayList<>();
        for (ConsumerRecord<String, AccountBalance> record : readAll(admin, into.output(),
                into.output().valueSerde().deserializer())) {
            output.add(new Written(record.key(), record.value()));
        }
        long records = BalanceOutputCheck.oracle(pass + " oracle (" + into.output().name() + ")", NETWORK.label(),
                schedule.addressList(), blocks, reference, output);
        if (run.balances() != schedule.balances()) {
            throw new IllegalStateException(pass + ": the oracle read " + run.balances() + " balances, expected "
                    + schedule.balances() + " (addresses x blocks)");
        }
        kafka("delete " + into.output().name(), () -> admin.deleteTopics(List.of(into.output().name())).all());
        kafka("delete group " + into.group(), () -> admin.deleteConsumerGroups(List.of(into.group())).all());
        return new OracleRun(run.balances(), records, run.wall(), run.open(), run.stages(), run.cpu(),
                run.nodeErrors(), run.kafkaErrors());
    }

    /** One look at a running oracle pass: fails when the oracle failed or the pass takes too long. */
    private static void look(AccountBalanceOracle oracle, String pass, long deadline) throws InterruptedException {
        // the state only: a join would make each look a millisecond
        OracleStatus status = oracle.status();
        if (status.state() == OracleState.FAILED || status.state() == OracleState.STOPPED
                || status.state() == OracleState.DONE) {
            throw new IllegalStateException(pass + ": the oracle ended " + status.state() + ": "
                    + status.lastError().orElse("no reason"));
        }
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException(pass + ": the oracle did not pass the last block within " + PASS_TIMEOUT
                    + ": " + status);
        }
        LockSupport.parkNanos(LOOK_NANOS);
        if (Thread.interrupted()) {
            throw new InterruptedException(pass + ": interrupted");
        }
    }

    // ---- Kafka and CPU helpers ----

    /**
     * Every committed record of a one-partition topic whose writers have stopped: waits until no
     * transaction is open on it (a commit returns before its markers are written), then reads it from its
     * beginning to its end.
     */
    private <V> List<ConsumerRecord<String, V>> readAll(Admin admin, Topic<String, V> topic,
            Deserializer<V> values) {
        TopicPartition partition = new TopicPartition(topic.name(), 0);
        long stableBy = System.nanoTime() + KAFKA_TIMEOUT.toNanos();
        while (endOffset(admin, partition, IsolationLevel.READ_COMMITTED)
                < endOffset(admin, partition, IsolationLevel.READ_UNCOMMITTED)) {
            if (System.nanoTime() > stableBy) {
                throw new IllegalStateException(topic.name() + " still has an open transaction " + KAFKA_TIMEOUT
                        + " after its writer stopped");
            }
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MAX_MESSAGE_BYTES),
                new StringDeserializer(), values)) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition), KAFKA_TIMEOUT).get(partition);
            List<ConsumerRecord<String, V>> records = new ArrayList<>();
            long deadline = System.nanoTime() + KAFKA_TIMEOUT.toNanos();
            while (consumer.position(partition, KAFKA_TIMEOUT) < end) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic.name() + " up to offset " + end
                            + " within " + KAFKA_TIMEOUT + "; at " + consumer.position(partition));
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    /** The end of a partition as a consumer of that isolation level sees it. */
    private static long endOffset(Admin admin, TopicPartition partition, IsolationLevel isolation) {
        try {
            return admin.listOffsets(Map.of(partition, OffsetSpec.latest()), new ListOffsetsOptions(isolation)).all()
                    .get(KAFKA_TIMEOUT.toSeconds(), TimeUnit.SECONDS).get(partition).offset();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not list the end offset of " + partition + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing the end offset of " + partition, e);
        }
    }

    private interface KafkaCall {
        org.apache.kafka.common.KafkaFuture<Void> start();
    }

    private static void kafka(String what, KafkaCall call) {
        try {
            call.start().get(KAFKA_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not " + what + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while trying to " + what, e);
        }
    }

    /** The CPU use of some passes, each weighted by its time. */
    private static final class CpuTotal {
        private double machine;
        private double jvm;
        private double node;
        private double seconds;

        void add(BalanceFigures.Cpu cpu, Duration wall) {
            double s = seconds(wall);
            machine += cpu.machine() * s;
            jvm += cpu.jvm() * s;
            node += cpu.node() * s;
            seconds += s;
        }

        BalanceFigures.Cpu average() {
            double s = Math.max(1e-9, seconds);
            return new BalanceFigures.Cpu(machine / s, jvm / s, node < 0 ? -1 : node / s);
        }
    }

    /**
     * A full collection before each timed pass: the raw reads kept to check the next oracle pass (about
     * 50 MB at the defaults) and the last pass's garbage then sit in the old generation, so neither kind of
     * pass pays for the other's in its young collections.
     */
    private static void settle() {
        System.gc();
    }

    /** Starts measuring CPU use (both loads are measured from the previous call); the node's CPU time so far. */
    private Duration startCpuInterval() {
        CPU.getCpuLoad();
        CPU.getProcessCpuLoad();
        return nodeCpu();
    }

    /** CPU use since {@link #startCpuInterval} returned {@code nodeBefore}, {@code wall} ago. */
    private BalanceFigures.Cpu cpuInterval(Duration nodeBefore, Duration wall) {
        double machine = Math.max(0, CPU.getCpuLoad());
        double jvm = Math.max(0, CPU.getProcessCpuLoad());
        double nodeShare = node.isEmpty() ? -1 : seconds(nodeCpu().minus(nodeBefore))
                / (seconds(wall) * Runtime.getRuntime().availableProcessors());
        return new BalanceFigures.Cpu(machine, jvm, nodeShare);
    }

    /** The node's CPU time so far, its descendants' included (zero when unknown). */
    private Duration nodeCpu() {
        return node.map(handle -> Stream.concat(Stream.of(handle),
                        handle.descendants())
                .map(p -> p.info().totalCpuDuration().orElse(Duration.ZERO))
                .reduce(Duration.ZERO, Duration::plus)).orElse(Duration.ZERO);
    }

    private static double seconds(Duration duration) {
        return Math.max(1e-9, duration.toNanos() / 1e9);
    }
}
