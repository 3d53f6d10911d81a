package io.pessimism.oracle.geth;

import static org.assertj.core.api.Assertions.assertThat;

import io.pessimism.avro.Block;
import io.pessimism.network.Network;
import io.pessimism.oracle.OracleSettings;
import io.pessimism.oracle.OracleState;
import io.pessimism.oracle.bench.DevChain;
import io.pessimism.oracle.support.TestTopics;
import io.pessimism.oracle.support.TopicReader;
import io.pessimism.oracle.support.TopicReader.Entry;
import io.pessimism.testkit.anvil.Anvil;
import io.pessimism.testkit.kafka.KafkaClusterExtension;
import io.pessimism.topic.Topic;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A block Kafka would refuse stops the oracle with a reason naming the block and the limits to
 * raise, after every block before it is committed: no endless retry, nothing lost.
 */
class BlockTooLargeTest {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleNode();

    // Fits an empty block's record, not one with a few transactions and their logs.
    private static final int MAX_REQUEST_SIZE = 3_000;

    @Test
    void aBlockTooLargeForKafkaStopsTheOracleNamingItAfterTheBlocksBeforeIt() throws Exception {
        try (Anvil anvil = Anvil.builder().start()) {
            DevChain chain = new DevChain(anvil.httpUrl());
            chain.mineEmpty(3);
            long lastSmall = chain.head();
            chain.mineWithLogs(2, 5);
            OracleSettings settings = OracleSettings.builder(Network.LAYER1, anvil.httpUrl(), KAFKA.bootstrapServers())
                    .batchSize(4).concurrency(2).pollInterval(Duration.ofMillis(50))
                    .producerOverrides(Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_REQUEST_SIZE)).build();
            Topic<String, Block> topic = TestTopics.blocks("big", Network.LAYER1);
            GethBlockOracle oracle = new GethBlockOracle(settings, topic);
            try (oracle) {
                oracle.start();
                assertThat(oracle.awaitTermination(Duration.ofSeconds(30))).as("the oracle stops by itself").isTrue();
            }

            assertThat(oracle.status().state()).isEqualTo(OracleState.FAILED);
            List<Entry> entries = TopicReader.readSettled(KAFKA.bootstrapServers(), topic.name(),
                    topic.valueSerde().deserializer());
            long refused = entries.size();
            assertThat(entries).extracting(Entry::key).as("every block before the refused one, once")
                    .containsExactlyElementsOf(LongStream.range(0, refused).mapToObj(Long::toString).toList());
            assertThat(refused).as("the empty blocks fit; a block with logs does not")
                    .isGreaterThan(lastSmall).isLessThanOrEqualTo(chain.head());
            assertThat(oracle.status().lastError()).hasValueSatisfying(reason -> assertThat(reason)
                    .contains("block " + refused + " is", "max.request.size " + MAX_REQUEST_SIZE, "max.message.bytes"));
        }
    }
}
