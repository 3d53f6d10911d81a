package io.pessimism.oracle.geth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pessimism.avro.Block;
import io.pessimism.network.Network;
import io.pessimism.oracle.OracleSettings;
import io.pessimism.oracle.OracleState;
import io.pessimism.oracle.bench.DevChain;
import io.pessimism.oracle.rpc.BlockHeader;
import io.pessimism.oracle.rpc.NodeMeters;
import io.pessimism.oracle.rpc.NodeClient;
import io.pessimism.oracle.support.ChainChecker;
import io.pessimism.oracle.support.FaultProxy;
import io.pessimism.testkit.anvil.Anvil;
import io.pessimism.oracle.support.TestTopics;
import io.pessimism.topic.Topic;
import io.pessimism.oracle.support.TopicReader;
import io.pessimism.oracle.support.TopicReader.Entry;
import io.pessimism.testkit.kafka.KafkaClusterExtension;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class NodeOutageTest {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleNode();

    @Test
    void aNodeDownForAWhileLeavesNoGapAndNoDuplicate() {
        try (Anvil anvil = Anvil.builder().start();
                FaultProxy proxy = new FaultProxy(anvil.port());
                NodeClient node = NodeClient.connect(anvil.httpUrl(), "layer1", 2)) {
            DevChain chain = new DevChain(anvil.httpUrl());
            chain.mineWithLogs(80, 2);
            proxy.delay(Duration.ofMillis(20));
            Topic<String, Block> topic = TestTopics.blocks("outage", Network.LAYER1);
            OracleSettings settings = OracleSettings.builder(Network.LAYER1, proxy.url(), KAFKA.bootstrapServers())
                    .batchSize(5).concurrency(2).pollInterval(Duration.ofMillis(50))
                    .backoff(Duration.ofMillis(50), Duration.ofMillis(400)).build();
            try (GethBlockOracle oracle = new GethBlockOracle(settings, topic)) {
                oracle.start();
                await().atMost(Duration.ofSeconds(30)).until(() -> oracle.status().oracleHead() >= 20);
                long beforeOutage = chain.head();
                proxy.down();
                chain.mineWithLogs(10, 2); // straight to anvil: blocks the oracle cannot see while the proxy is down
                // while the node is away the oracle keeps retrying, counting each failure
                await("node errors while the proxy is down").atMost(Duration.ofSeconds(30))
                        .until(() -> oracle.status().nodeErrors() >= 4);
                assertThat(oracle.status().state()).isEqualTo(OracleState.BACKING_OFF);
                assertThat(oracle.status().lastError()).hasValueSatisfying(e -> assertThat(e).contains(NodeMeters.label(proxy.url())));
                long stalledAt = oracle.status().oracleHead();
                long errors = oracle.status().nodeErrors();
                await("more failed retries").atMost(Duration.ofSeconds(30))
                        .until(() -> oracle.status().nodeErrors() >= errors + 3);
                assertThat(oracle.status().oracleHead()).as("no progress while the node is down").isEqualTo(stalledAt);
                List<Entry> written = TopicReader.readSettled(KAFKA.bootstrapServers(), topic.name(),
                        topic.valueSerde().deserializer());
                assertThat(written.get(written.size() - 1).block().getNumber())
                        .as("nothing written while the node is down").isEqualTo(stalledAt);
                assertThat(stalledAt).as("no block mined during the outage was seen").isLessThanOrEqualTo(beforeOutage);

                proxy.delay(Duration.ZERO);
                proxy.up();
                long head = chain.head();
                await().atMost(Duration.ofSeconds(30)).until(() -> oracle.status().oracleHead() == head);
                assertThat(oracle.status().lag()).isZero();
            }
            long head = chain.head();
            List<Entry> entries = TopicReader.readSettled(KAFKA.bootstrapServers(), topic.name(),
                    topic.valueSerde().deserializer());
            assertThat(entries).extracting(Entry::key).containsExactlyElementsOf(
                    LongStream.rangeClosed(0, head).mapToObj(Long::toString).toList());
            assertThat(ChainChecker.canonical(entries)).extracting(Block::getHash).containsExactlyElementsOf(
                    node.headers(0, head).stream().map(BlockHeader::hash).toList());
        }
    }
}
