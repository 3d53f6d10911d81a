package io.pessimism.app.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pessimism.config.PessimismConfig;
import io.pessimism.network.Network;
import io.pessimism.oracle.OracleCatalog;
import io.pessimism.oracle.OracleId;
import io.pessimism.registry.Registers;
import io.pessimism.schemaregistry.InProcessSchemaRegistry;
import io.pessimism.testkit.anvil.AnvilExtension;
import io.pessimism.testkit.chain.ChainDriver;
import io.pessimism.testkit.kafka.KafkaClients;
import io.pessimism.testkit.kafka.KafkaClusterExtension;
import io.pessimism.topic.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two oracle processes on one cluster, running the standard oracles plus a test-only one
 * ({@link TestHeadDefinition}, register id 9): each oracle runs in exactly one process, and moves,
 * resuming from its topic, when its holder stops.
 */
class OracleServiceLeaseTest {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleNode();

    @RegisterExtension
    static final AnvilExtension LAYER1 = AnvilExtension.create();

    private static final OracleId ACCOUNT_BALANCE = new OracleId(Network.LAYER1, Registers.ACCOUNT_BALANCE);
    private static final OracleId GETH_BLOCK = new OracleId(Network.LAYER1, Registers.GETH_BLOCK);
    private static final OracleId TEST_HEAD = new OracleId(Network.LAYER1, TestHeadDefinition.TEST_HEAD);

    @Test
    void theLeasePartitionsStandForEachRegisterOnEachNetwork() {
        OracleCatalog catalog = OracleCatalog.standard().with(new TestHeadDefinition());
        assertThat(OracleLeases.partitions(catalog)).containsExactlyInAnyOrderEntriesOf(Map.of(
                0, ACCOUNT_BALANCE,
                1, new OracleId(Network.LAYER2, Registers.ACCOUNT_BALANCE),
                2, GETH_BLOCK,
                3, new OracleId(Network.LAYER2, Registers.GETH_BLOCK),
                16, TEST_HEAD,
                17, new OracleId(Network.LAYER2, TestHeadDefinition.TEST_HEAD)));
        assertThat(Topics.oracleLeasePartitions(9)).as("room for register id 9 on both networks").isEqualTo(18);
    }

    @Test
    void oneHolderPerOracleAndTheOtherTakesOverWhenItStops() throws Exception {
        PessimismConfig config = PessimismConfig.defaults(Map.of(
                "namespace", "lease",
                "kafka.bootstrap.servers", KAFKA.bootstrapServers(),
                "networks.layer1.rpc-url", LAYER1.httpUrl(),
                "networks.layer1.poll-interval", "100ms",
                "networks.layer2.enabled", "false"));
        Topics topics = new Topics(config.topicNames(), InProcessSchemaRegistry.inMemory(), -1);
        OracleCatalog catalog = OracleCatalog.standard().with(new TestHeadDefinition());
        createTheLeaseTopicOfOneOraclePerNetwork(config);
        try (ChainDriver chain = ChainDriver.connect(LAYER1.httpUrl());
             OracleService first = new OracleService(config, topics, catalog).start();
             OracleService second = new OracleService(config, topics, catalog).start()) {
            assertThat(first.oracles()).containsExactly(ACCOUNT_BALANCE, GETH_BLOCK, TEST_HEAD);
            assertThat(leasePartitions()).as("the older lease topic grew to hold register id 9").isEqualTo(18);
            chain.mine(10);
            await("each oracle runs in exactly one of the two processes and writes its topic")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> holders(GETH_BLOCK, first, second) == 1 && holders(TEST_HEAD, first, second) == 1
                            && holders(ACCOUNT_BALANCE, first, second) == 1
                            && keys("lease.layer1.geth_block").size() > 10 && keys("lease.layer1.test_head").size() > 10);
            OracleService holder = first.statuses().containsKey(TEST_HEAD) ? first : second;
            OracleService standby = holder == first ? second : first;

            holder.close();
            chain.mine(5);
            long head = chain.blockNumber();
            await("the standby runs every oracle and each continues where its topic ends")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> standby.statuses().keySet().containsAll(List.of(ACCOUNT_BALANCE, GETH_BLOCK, TEST_HEAD))
                            && keys("lease.layer1.geth_block").size() > head
                            && keys("lease.layer1.test_head").size() > head);

            List<String> everyHeight = LongStream.rangeClosed(0, head).mapToObj(Long::toString).toList();
            assertThat(keys("lease.layer1.geth_block")).as("every block once, in order, across the hand-over")
                    .containsExactlyElementsOf(everyHeight);
            assertThat(keys("lease.layer1.test_head")).as("the test-only oracle resumed from its topic: no gap, no "
                    + "duplicate").containsExactlyElementsOf(everyHeight);
        }
    }

    /** The lease topic as it was when leases were per network: one partition per network. */
    private static void createTheLeaseTopicOfOneOraclePerNetwork(PessimismConfig config) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(config.topicNames().oracleLeases(), Optional.of(2), Optional.empty())))
                    .all().get(30, TimeUnit.SECONDS);
        }
    }

    private static int leasePartitions() throws Exception {
        try (Admin admin = admin()) {
            return admin.describeTopics(List.of("lease.oracle-leases")).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get("lease.oracle-leases").partitions().size();
        }
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()));
    }

    private static int holders(OracleId id, OracleService... services) {
        int n = 0;
        for (OracleService s : services) {
            n += s.statuses().containsKey(id) ? 1 : 0;
        }
        return n;
    }

    private static List<String> keys(String topic) {
        return KafkaClients.readAll(KAFKA.bootstrapServers(), topic, IsolationLevel.READ_COMMITTED)
                .stream().map(r -> r.key()).toList();
    }
}
