package io.pessimism.oracle.bench;

import io.pessimism.avro.Block;
import io.pessimism.network.Network;
import io.pessimism.oracle.OracleState;
import io.pessimism.oracle.OracleStatus;
import io.pessimism.oracle.geth.GethBlockOracle;
import io.pessimism.oracle.geth.OracleSettings;
import io.pessimism.oracle.rpc.NodeClient;
import io.pessimism.oracle.rpc.NodeHttpClients;
import io.pessimism.oracle.rpc.Prefetcher;
import io.pessimism.topic.Topic;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * the same heights to a fresh topic; blocks/s of both and their ratio. Not a test: figures depend on
 * the machine. The chain must be a dev node (anvil) whose dev accounts are unlocked.
 */
public final class BackfillBench {

    private final String rpcUrl;
    private final String bootstrapServers;
    private final Topic<String, Block> blocks;
    private final int batchSize;
    private final int concurrency;
    private final PrintStream out;

    /**
     * @param blocks the block topic whose serdes and configs the benchmark's own topics take
     *               ({@code Topics.blocks(network)}); each mix writes a fresh topic, deleted afterwards
     */
    public BackfillBench(String rpcUrl, String bootstrapServers, Topic<String, Block> blocks, int batchSize,
            int concurrency, PrintStream out) {
        this.rpcUrl = rpcUrl;
        this.bootstrapServers = bootstrapServers;
        this.blocks = blocks;
        this.batchSize = batchSize;
        this.concurrency = concurrency;
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
            double raw = raw(from, to);
            out.printf("%s: raw fetch %.1f blocks/s%n", mix.name(), raw);
            OracleRun oracle = oracle(mix, from, to);
            BenchFigures result = new BenchFigures(mix.name(), to - from + 1, transactions, setup, raw,
                    oracle.blocksPerSecond(), oracle.topicBytes());
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

    private record OracleRun(double blocksPerSecond, long topicBytes) {
    }

    /** The oracle over the same heights into a fresh topic, timed from its first fetch to its last commit. */
    private OracleRun oracle(BlockMix mix, long from, long to) throws InterruptedException {
        String topic = blocks.name() + ".bench-" + mix.name() + "-" + System.currentTimeMillis();
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
            long started = System.nanoTime();
            oracle.awaitTermination(Duration.ofHours(2));
            double seconds = seconds(started);
            OracleStatus status = oracle.status();
            if (status.state() != OracleState.DONE) {
                throw new IllegalStateException("the oracle ended " + status.state() + ": "
                        + status.lastError().orElse("no reason"));
            }
            return new OracleRun((to - from + 1) / seconds, topicBytes(topic));
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
