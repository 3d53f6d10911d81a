package io.pessimism.app.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pessimism.config.PessimismConfig;
import io.pessimism.network.Network;
import io.pessimism.schemaregistry.InProcessSchemaRegistry;
import io.pessimism.testkit.anvil.AnvilExtension;
import io.pessimism.testkit.chain.ChainDriver;
import io.pessimism.testkit.kafka.KafkaClients;
import io.pessimism.testkit.kafka.KafkaClusterExtension;
import io.pessimism.topic.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two oracle processes on one cluster: each network's oracle runs in exactly one, and moves when it stops. */
class OracleServiceLeaseTest {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleNode();

    @RegisterExtension
    static final AnvilExtension LAYER1 = AnvilExtension.create();

    @Test
    void oneHolderPerNetworkAndTheOtherTakesOverWhenItStops() throws Exception {
        PessimismConfig config = PessimismConfig.defaults(Map.of(
                "namespace", "lease",
                "kafka.bootstrap.servers", KAFKA.bootstrapServers(),
                "networks.layer1.rpc-url", LAYER1.httpUrl(),
                "networks.layer1.poll-interval", "100ms",
                "networks.layer2.enabled", "false"));
        Topics topics = new Topics(config.topicNames(), InProcessSchemaRegistry.inMemory(), -1);
        try (ChainDriver chain = ChainDriver.connect(LAYER1.httpUrl());
             OracleService first = new OracleService(config, topics).start();
             OracleService second = new OracleService(config, topics).start()) {
            chain.mine(10);
            await("one of the two processes holds the layer1 lease and runs its oracle")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> holders(first, second) == 1 && blockKeys().size() > 10);
            OracleService holder = first.statuses().containsKey(Network.LAYER1) ? first : second;
            OracleService standby = holder == first ? second : first;
            assertThat(standby.statuses()).as("the standby runs no oracle").isEmpty();

            holder.close();
            chain.mine(5);
            long head = chain.blockNumber();
            await("the standby takes the lease over and continues where the topic ends")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> standby.statuses().containsKey(Network.LAYER1) && blockKeys().size() > head);

            assertThat(blockKeys()).as("every height once, in order, across the hand-over")
                    .containsExactlyElementsOf(LongStream.rangeClosed(0, head).mapToObj(Long::toString).toList());
        }
    }

    private static int holders(OracleService... services) {
        int n = 0;
        for (OracleService s : services) {
            n += s.statuses().containsKey(Network.LAYER1) ? 1 : 0;
        }
        return n;
    }

    private static List<String> blockKeys() {
        return KafkaClients.readAll(KAFKA.bootstrapServers(), "lease.layer1.geth_block", IsolationLevel.READ_COMMITTED)
                .stream().map(r -> r.key()).toList();
    }
}
