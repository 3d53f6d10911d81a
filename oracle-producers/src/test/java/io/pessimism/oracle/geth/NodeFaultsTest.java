package io.pessimism.oracle.geth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pessimism.avro.Block;
import io.pessimism.network.Network;
import io.pessimism.oracle.OracleSettings;
import io.pessimism.oracle.OracleStatus;
import io.pessimism.oracle.bench.DevChain;
import io.pessimism.oracle.rpc.BlockHeader;
import io.pessimism.oracle.rpc.NodeClient;
import io.pessimism.oracle.rpc.NodeHttpClients;
import io.pessimism.oracle.support.ChainChecker;
import io.pessimism.oracle.support.FaultPhases;
import io.pessimism.oracle.support.FaultPhases.Phase;
import io.pessimism.oracle.support.TestTopics;
import io.pessimism.oracle.support.TopicReader;
import io.pessimism.oracle.support.TopicReader.Entry;
import io.pessimism.testkit.anvil.Anvil;
import io.pessimism.testkit.kafka.KafkaClusterExtension;
import io.pessimism.testkit.rpc.FaultTrigger;
import io.pessimism.testkit.rpc.NodeFault;
import io.pessimism.testkit.rpc.RpcFaultProxy;
import io.pessimism.topic.Topic;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GethBlock oracle following anvil through an {@link RpcFaultProxy} while blocks with logs are
 * mined, each node fault switched on until it has struck a few times, then off: every fault is
 * counted by the proxy and (but latency, which only slows it) as a node error in the oracle's status
 * (what {@code pessimism_node_errors_total} reports), the oracle catches up once the node is sound
 * again, and a read_committed reader finds every height once, the node's canonical chain.
 */
class NodeFaultsTest {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleNode();

    private static final Logger LOG = LoggerFactory.getLogger(NodeFaultsTest.class);
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** How often the miner adds a block of transactions with logs. */
    private static final Duration BLOCK_EVERY = Duration.ofMillis(100);
    private static final int STRIKES = 3;

    private static final List<Phase> PHASES = List.of(
            new Phase(NodeFault.LATENCY, FaultTrigger.always(), false),
            new Phase(NodeFault.HTTP_5XX, FaultTrigger.always().everyNth(2), true),
            new Phase(NodeFault.CONNECTION_RESET, FaultTrigger.method("eth_getBlockByNumber").everyNth(2), true),
            new Phase(NodeFault.MALFORMED_JSON, FaultTrigger.method("eth_getLogs"), true),
            new Phase(NodeFault.TRUNCATED_JSON, FaultTrigger.always().everyNth(3), true),
            new Phase(NodeFault.NULL_RESULT, FaultTrigger.method("eth_getBlockByNumber").everyNth(4), true),
            new Phase(NodeFault.NULL_RESULT, FaultTrigger.method("eth_getLogs").everyNth(2), true),
            new Phase(NodeFault.LAGGING_NODE, FaultTrigger.always(), true));

    @Test
    void theOracleWritesTheCanonicalChainThroughEveryNodeFault() throws Exception {
        try (Anvil anvil = Anvil.builder().start();
                RpcFaultProxy proxy = RpcFaultProxy.start(anvil.httpUrl())) {
            DevChain chain = new DevChain(anvil.httpUrl()); // straight to anvil: the miner never meets a fault
            chain.mineWithLogs(30, 2);
            Topic<String, Block> topic = TestTopics.blocks("faults", Network.LAYER1);
            OracleSettings settings = OracleSettings.builder(Network.LAYER1, proxy.url(), KAFKA.bootstrapServers())
                    .batchSize(5).concurrency(2).pollInterval(Duration.ofMillis(50))
                    .backoff(Duration.ofMillis(50), Duration.ofMillis(400)).build();
            ScheduledExecutorService miner = Executors.newSingleThreadScheduledExecutor();
            List<String> report;
            try (GethBlockOracle oracle = new GethBlockOracle(settings, topic)) {
                oracle.start();
                ScheduledFuture<?> mining = miner.scheduleWithFixedDelay(() -> chain.mineWithLogs(1, 2), 0,
                        BLOCK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
                report = FaultPhases.run(proxy, PHASES, STRIKES, WAIT, new FaultPhases.Subject() {
                    @Override
                    public OracleStatus status() {
                        return oracle.status();
                    }

                    @Override
                    public void catchUp(String when) {
                        NodeFaultsTest.catchUp(oracle, chain, when);
                    }

                    @Override
                    public void checkTraffic() {
                        assertMining(mining);
                    }
                });
                assertMining(mining);
                mining.cancel(false);
                miner.shutdown();
                assertThat(miner.awaitTermination(30, TimeUnit.SECONDS)).as("the miner stops").isTrue();
                catchUp(oracle, chain, "once the miner stopped");
                assertThat(oracle.status().oracleHead()).isEqualTo(chain.head());
            } finally {
                miner.shutdownNow();
            }
            long head = chain.head();
            List<Entry> entries = TopicReader.readSettled(KAFKA.bootstrapServers(), topic.name(),
                    topic.valueSerde().deserializer());
            assertThat(entries).as("%s", report).extracting(Entry::key).containsExactlyElementsOf(
                    LongStream.rangeClosed(0, head).mapToObj(Long::toString).toList());
            List<Block> canonical = ChainChecker.canonical(entries);
            // straight to anvil, fetching what the oracle fetches about created contracts
            try (NodeClient node = NodeClient.connect(anvil.httpUrl(), "layer1", NodeHttpClients.create(2),
                    settings.contractCreations())) {
                assertThat(canonical).as("%s", report).extracting(Block::getHash)
                        .containsExactlyElementsOf(node.headers(0, head).stream().map(BlockHeader::hash).toList());
                // whole blocks, as the node gives them without faults: no log or transaction lost to a faulty reply
                assertThat(canonical).as("%s", report).isEqualTo(node.blocks(0, head));
            }
            assertThat(canonical.stream().mapToInt(b -> b.getLogs().size()).sum()).as("logs written")
                    .isGreaterThanOrEqualTo((int) head);
            LOG.info("{} blocks checked through {} faults: {}", head + 1, PHASES.size(), report);
        }
    }

    /** A miner that failed turns live traffic into a static chain: fail with its exception. */
    private static void assertMining(Future<?> mining) {
        if (mining.isDone()) {
            try {
                mining.get();
            } catch (ExecutionException e) {
                throw new AssertionError("the miner failed", e.getCause());
            } catch (InterruptedException | CancellationException e) {
                throw new AssertionError("the miner stopped", e);
            }
            throw new AssertionError("the miner stopped");
        }
    }

    /** Waits until the oracle has committed the node's head as it is now. */
    private static void catchUp(GethBlockOracle oracle, DevChain chain, String when) {
        long head = chain.head();
        await("the oracle commits the head " + head + " " + when).atMost(WAIT)
                .until(() -> oracle.status().oracleHead() >= head);
    }
}
