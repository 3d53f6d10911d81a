package io.pessimism.oracle.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pessimism.avro.AccountBalance;
import io.pessimism.config.KafkaConnection;
import io.pessimism.network.Network;
import io.pessimism.oracle.OracleSettings;
import io.pessimism.oracle.OracleState;
import io.pessimism.oracle.OracleStatus;
import io.pessimism.oracle.geth.GethBlockOracle;
import io.pessimism.oracle.support.FaultPhases;
import io.pessimism.oracle.support.FaultPhases.Phase;
import io.pessimism.registry.Registry;
import io.pessimism.schemaregistry.InProcessSchemaRegistry;
import io.pessimism.testkit.anvil.Anvil;
import io.pessimism.testkit.anvil.AnvilExtension;
import io.pessimism.testkit.chain.ChainDriver;
import io.pessimism.testkit.chain.DevAccounts;
import io.pessimism.testkit.kafka.KafkaClusterExtension;
import io.pessimism.testkit.rpc.FaultTrigger;
import io.pessimism.testkit.rpc.NodeFault;
import io.pessimism.testkit.rpc.RpcFaultProxy;
import io.pessimism.topic.TopicAdmin;
import io.pessimism.topic.TopicNames;
import io.pessimism.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AccountBalance oracle, and the block oracle it follows, reading anvil through an
 * {@link RpcFaultProxy} while transfers change most watched balances in every block; each node fault
 * is switched on until it has struck a few times the oracle's {@code eth_getBalance} batches (latency
 * strikes every call) and, but latency, counted as a node error of the balance oracle (what
 * {@code pessimism_node_errors_total} reports), then off, and the oracle catches up. Afterwards a
 * read_committed reader finds exactly the records the node's balances call for ({@link ExpectedBalances}).
 *
 * <p>A lagging node ({@value #LAG} blocks behind) answers "header for hash not found" for a read of a
 * block near the node's head: the oracle retries it once the head has moved on far enough.
 */
class BalanceNodeFaultsTest {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleNode();

    @RegisterExtension
    static final AnvilExtension ANVIL = AnvilExtension.of(Anvil.builder().noMining());

    private static final Logger LOG = LoggerFactory.getLogger(BalanceNodeFaultsTest.class);
    private static final Network NETWORK = Network.LAYER1;
    private static final int WATCHED = 10;
    private static final Duration TRAFFIC_DELAY = Duration.ofMillis(100);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int STRIKES = 3;
    private static final String BALANCES = "eth_getBalance";
    private static final long LAG = 3;

    private static final List<Phase> PHASES = List.of(
            new Phase(NodeFault.LATENCY, FaultTrigger.always(), false),
            new Phase(NodeFault.HTTP_5XX, FaultTrigger.method(BALANCES).everyNth(2), true),
            new Phase(NodeFault.CONNECTION_RESET, FaultTrigger.method(BALANCES).everyNth(2), true),
            new Phase(NodeFault.MALFORMED_JSON, FaultTrigger.method(BALANCES).everyNth(2), true),
            new Phase(NodeFault.TRUNCATED_JSON, FaultTrigger.method(BALANCES).everyNth(3), true),
            new Phase(NodeFault.NULL_RESULT, FaultTrigger.method(BALANCES).everyNth(4), true),
            new Phase(NodeFault.LAGGING_NODE, FaultTrigger.method(BALANCES), true));

    @Test
    void theOracleWritesExactlyTheBalancesOfTheCanonicalChainThroughEveryNodeFault() throws Exception {
        Topics topics = new Topics(new TopicNames("balfaults"), InProcessSchemaRegistry.inMemory(), -1);
        BalanceTopics balanceTopics = BalanceTopics.of(topics, NETWORK);
        TopicAdmin.ensure(KafkaConnection.plaintext(KAFKA.bootstrapServers()), (short) 1, balanceTopics.state());
        try (RpcFaultProxy proxy = RpcFaultProxy.start(ANVIL.httpUrl());
                ChainDriver chain = ChainDriver.connect(ANVIL.httpUrl()); // straight to anvil: never faulted
                TestInterests interests = new TestInterests(KAFKA.bootstrapServers(), balanceTopics.state(), NETWORK)) {
            // 3 blocks behind: the block a step reads first is often that close to the head, so the lagging
            // node fails the step (a later block of a step failing only makes the step write the ones before)
            proxy.lagBehind(LAG);
            OracleSettings settings = OracleSettings.builder(NETWORK, proxy.url(), KAFKA.bootstrapServers())
                    .batchSize(5).concurrency(2).pollInterval(Duration.ofMillis(20))
                    .backoff(Duration.ofMillis(50), Duration.ofMillis(400)).build();
            chain.mine(3);
            long start = chain.blockNumber() + 1;
            interests.horizon(start - 1); // nothing watched yet: the oracle reads no block past it
            List<String> report;
            long head;
            Map<String, Long> effectiveFrom;
            try (GethBlockOracle blocks = new GethBlockOracle(settings, balanceTopics.blocks());
                    AccountBalanceOracle balances = new AccountBalanceOracle(settings, balanceTopics,
                            Registry.standard())) {
                blocks.start();
                balances.start();
                await("the balance oracle follows the block topic").atMost(WAIT)
                        .until(() -> balances.status().state() == OracleState.LIVE
                                && blocks.status().oracleHead() == start - 1);
                List<String> watched = new ArrayList<>();
                for (int i = 0; i < WATCHED; i++) {
                    watched.add(String.format("0x%040x", 0xfa170000L + i));
                }
                effectiveFrom = interests.watch(watched, i -> start);
                interests.horizon(start + 1_000_000);
                try (ChainDriver trafficChain = ChainDriver.connect(ANVIL.httpUrl());
                        TransferTraffic traffic = new TransferTraffic(trafficChain, ANVIL.chainId(), DevAccounts.get(1),
                                watched, 7)) {
                    traffic.start(TRAFFIC_DELAY);
                    report = FaultPhases.run(proxy, PHASES, STRIKES, WAIT, new FaultPhases.Subject() {
                        @Override
                        public OracleStatus status() {
                            return balances.status();
                        }

                        @Override
                        public void catchUp(String when) {
                            BalanceNodeFaultsTest.catchUp(blocks, balances, chain.blockNumber(), when);
                        }

                        @Override
                        public void checkTraffic() {
                            traffic.check();
                        }
                    });
                    traffic.stop();
                    assertThat(traffic.transfers()).as("transfers to watched addresses")
                            .isGreaterThan(5L * WATCHED);
                }
                head = chain.blockNumber();
                catchUp(blocks, balances, head, "once the traffic stopped");
                assertThat(balances.status().state()).as("%s", report).isNotEqualTo(OracleState.FAILED);
            }

            List<AccountBalance> expected = ExpectedBalances.of(chain.web3j(), NETWORK.label(), effectiveFrom, head);
            List<ConsumerRecord<String, AccountBalance>> committed = ExpectedBalances.read(KAFKA.bootstrapServers(),
                    balanceTopics.output(), "read_committed", WAIT);
            ExpectedBalances.assertExactly(committed, expected);
            assertThat(committed.get(committed.size() - 1).value().getBlockNumber()).as("read through the head")
                    .isEqualTo(head);
            LOG.info("blocks {}..{}: {} balance records checked through {} faults: {}", start, head, expected.size(),
                    PHASES.size(), report);
        }
    }

    /** Waits until the block oracle, then the balance oracle, have committed block {@code head}. */
    private static void catchUp(GethBlockOracle blocks, AccountBalanceOracle balances, long head, String when) {
        await("the block oracle commits block " + head + " " + when).atMost(WAIT)
                .until(() -> blocks.status().oracleHead() >= head);
        await("the balance oracle commits block " + head + " " + when).atMost(WAIT)
                .until(() -> balances.status().oracleHead() >= head);
    }
}
