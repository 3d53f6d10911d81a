package io.pessimism.oracle.bench;

import io.pessimism.avro.Block;
import io.pessimism.network.Network;
import io.pessimism.oracle.OracleSettings;
import io.pessimism.oracle.OracleState;
import io.pessimism.oracle.OracleStatus;
import io.pessimism.oracle.geth.GethBlockOracle;
import io.pessimism.oracle.geth.StageTimes;
import io.pessimism.oracle.rpc.NodeClient;
import io.pessimism.oracle.rpc.NodeHttpClients;
import io.pessimism.oracle.rpc.Prefetcher;
import io.pessimism.topic.Topic;
import com.sun.management.OperatingSystemMXBean;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code pessimism bench backfill}: on one dev chain, for each block mix, (a) the raw ceiling — the
 * blocks and their logs fetched with the oracle's batching and thrown away — and (b) the oracle writing
 * the same heights to a fresh topic. After warm-up passes of both (not counted), raw and oracle passes
 * alternate for a number of rounds; the medians of each give the blocks/s and their ratio, and the
 * oracle's stage times say what limits it. Not a test: figures depend on the machine. The chain must be
 * a dev node (anvil) whose dev accounts are unlocked.
 */
public final class BackfillBench {

    private static final OperatingSystemMXBean CPU = ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class);

    private final String rpcUrl;
    private final String bootstrapServers;
    private final Topic<String, Block> blocks;
    private final int batchSize;
    private final int concurrency;
    private final int warmups;
    private final int rounds;
    private final PrintStream out;
    /** Oracle passes so far: each writes its own topic with its own transactional id. */
    private int passes;

    /**
     * @param blocks the block topic whose serdes and configs the benchmark's own topics take
     *               ({@code Topics.blocks(network)}); each oracle pass writes a fresh topic, deleted afterwards
     * @param warmups passes of each kind run first and not counted (0 or more)
     * @param rounds counted passes of each kind, alternating raw then oracle (1 or more)
     */
    public BackfillBench(String rpcUrl, String bootstrapServers, Topic<String, Block> blocks, int batchSize,
            int concurrency, int warmups, int rounds, PrintStream out) {
        if (warmups < 0) {
            throw new IllegalArgumentException("warm-up passes must be 0 or more, got " + warmups);
        }
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be at least 1, got " + rounds);
        }
        this.rpcUrl = rpcUrl;
        this.bootstrapServers = bootstrapServers;
        this.blocks = blocks;
        this.batchSize = batchSize;
        this.concurrency = concurrency;
        this.warmups = warmups;
        this.rounds = rounds;
        this.out = out;
    }

    /** Generates each mix on the chain, after what is already there, and measures it. */
    public List<BenchFigures> run(List<BlockMix> mixes) throws InterruptedException {
        List<BenchFigures> figures = new ArrayList<>();
        DevChain chain = new DevChain(rpcUrl);
        for (BlockMix mix : mixes) {
            long from = chain.head() + 1;
            long started = System.nanoTime();
            long transactions = generate(chain, mix);
            Duration setup = Duration.ofNanos(System.nanoTime() - started);
            long to = chain.head();
            out.printf("%s: generated blocks %d..%d (%d transactions) in %.1f s%n", mix.name(), from, to,
                    transactions, setup.toMillis() / 1000.0);
            for (int warmup = 1; warmup <= warmups; warmup++) {
                double raw = raw(from, to);
                OracleRun oracle = oracle(mix, from, to);
                out.printf(Locale.ROOT, "%s: warm-up %d: raw %.1f blocks/s, oracle %.1f blocks/s (not counted)%n",
                        mix.name(), warmup, raw, oracle.blocksPerSecond());
            }
            List<Double> raws = new ArrayList<>();
            List<Double> oracles = new ArrayList<>();
            Duration wall = Duration.ZERO;
            StageTimes stages = StageTimes.ZERO;
            double machineCpuSeconds = 0;
            double processCpuSeconds = 0;
            long topicBytes = -1;
            for (int round = 1; round <= rounds; round++) {
                double raw = raw(from, to);
                OracleRun oracle = oracle(mix, from, to);
                out.printf(Locale.ROOT, "%s: round %d: raw %.1f blocks/s, oracle %.1f blocks/s, ratio %.2f%n",
                        mix.name(), round, raw, oracle.blocksPerSecond(), oracle.blocksPerSecond() / raw);
                raws.add(raw);
                oracles.add(oracle.blocksPerSecond());
                wall = wall.plus(oracle.wall());
                stages = stages.plus(oracle.stages());
                machineCpuSeconds += oracle.machineCpu() * oracle.wall().toNanos() / 1e9;
                processCpuSeconds += oracle.processCpu() * oracle.wall().toNanos() / 1e9;
                topicBytes = oracle.topicBytes();
            }
            double wallSeconds = wall.toNanos() / 1e9;
            TimeBreakdown breakdown = new TimeBreakdown(wall, stages, concurrency, machineCpuSeconds / wallSeconds,
                    processCpuSeconds / wallSeconds, Runtime.getRuntime().availableProcessors());
            out.printf("%s: oracle time over %d rounds: %s%n", mix.name(), rounds, breakdown.line());
            BenchFigures result = new BenchFigures(mix.name(), to - from + 1, transactions, setup, raws, oracles,
                    topicBytes, breakdown);
            out.println(result.line());
            figures.add(result);
        }
        return figures;
    }

    private long generate(DevChain chain, BlockMix mix) {
        if (mix.maxTxs() == 0) {
            chain.mineEmpty(mix.blocks());
            return 0;
        }
        Random random = new Random(42);
        long transactions = 0;
        int[] perBlock = new int[mix.blocks()];
        for (int i = 0; i < perBlock.length; i++) {
            perBlock[i] = mix.minTxs() + random.nextInt(mix.maxTxs() - mix.minTxs() + 1);
            transactions += perBlock[i];
        }
        chain.mineWithLogs(perBlock);
        return transactions;
    }

    /** The ceiling: the oracle's fetch path (batches, concurrency, mapping to Avro), nothing written. */
    double raw(long from, long to) {
        try (NodeClient node = NodeClient.connect(rpcUrl, Network.LAYER1.label(),
                NodeHttpClients.create(concurrency + 2));
                Prefetcher<Block> prefetcher = new Prefetcher<>(node::blocks, batchSize, concurrency, "bench-raw")) {
            prefetcher.restartAt(from);
            long started = System.nanoTime();
            long blocks = 0;
            Optional<List<Block>> chunk;
            while ((chunk = prefetcher.next(to)).isPresent()) {
                blocks += chunk.get().size();
            }
            return blocks / seconds(started);
        }
    }

    /**
     * @param machineCpu the machine's CPU use over the pass, 0..1
     * @param processCpu this JVM's CPU use over the pass, 0..1 of the machine
     */
    private record OracleRun(double blocksPerSecond, long topicBytes, Duration wall, StageTimes stages,
            double machineCpu, double processCpu) {
    }

    /** The oracle over the same heights into a fresh topic, timed from its first fetch to its last commit. */
    private OracleRun oracle(BlockMix mix, long from, long to) throws InterruptedException {
        String topic = blocks.name() + ".bench-" + mix.name() + "-" + System.currentTimeMillis() + "-" + (++passes);
        OracleSettings settings = OracleSettings.builder(Network.LAYER1, rpcUrl, bootstrapServers)
                .startHeight(from).endHeight(to).batchSize(batchSize).concurrency(concurrency)
                .pollInterval(Duration.ofMillis(50)).build();
        GethBlockOracle oracle = new GethBlockOracle(settings,
                new Topic<>(topic, blocks.keySerde(), blocks.valueSerde(), 1, blocks.configs()));
        try (oracle) {
            oracle.start();
            // timed from the end of the session set-up (topic, fencing, tail read) to the last commit
            while (oracle.status().state() == OracleState.STARTING && !oracle.awaitTermination(Duration.ofMillis(2))) {
                Thread.onSpinWait();
            }
            CPU.getCpuLoad(); // both loads are measured from the previous call: start the interval here
            CPU.getProcessCpuLoad();
            long started = System.nanoTime();
            oracle.awaitTermination(Duration.ofHours(2));
            double seconds = seconds(started);
            double machineCpu = Math.max(0, CPU.getCpuLoad());
            double processCpu = Math.max(0, CPU.getProcessCpuLoad());
            OracleStatus status = oracle.status();
            if (status.state() != OracleState.DONE) {
                throw new IllegalStateException("the oracle ended " + status.state() + ": "
                        + status.lastError().orElse("no reason"));
            }
            return new OracleRun((to - from + 1) / seconds, topicBytes(topic), Duration.ofNanos((long) (seconds * 1e9)),
                    oracle.stageTimes(), machineCpu, processCpu);
        }
    }

    private long topicBytes(String topic) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            long bytes = 0;
            var brokers = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).stream().map(n -> n.id()).toList();
            for (Map<String, LogDirDescription> dirs : admin.describeLogDirs(brokers).allDescriptions()
                    .get(30, TimeUnit.SECONDS).values()) {
                for (LogDirDescription dir : dirs.values()) {
                    ReplicaInfo info = dir.replicaInfos().get(new TopicPartition(topic, 0));
                    if (info != null) {
                        bytes += info.size();
                    }
                }
            }
            admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            return bytes;
        } catch (Exception e) {
            out.println("could not measure or delete topic " + topic + ": " + e);
            return -1;
        }
    }

    private static double seconds(long startedNanos) {
        return Math.max(1e-9, (System.nanoTime() - startedNanos) / 1e9);
    }
}
