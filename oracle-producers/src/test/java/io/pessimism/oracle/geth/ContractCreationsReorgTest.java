package io.pessimism.oracle.geth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pessimism.avro.Block;
import io.pessimism.avro.CreationKind;
import io.pessimism.config.ContractCreations;
import io.pessimism.network.Network;
import io.pessimism.oracle.OracleSettings;
import io.pessimism.oracle.support.TestTopics;
import io.pessimism.oracle.support.TopicReader;
import io.pessimism.oracle.support.TopicReader.Entry;
import io.pessimism.testkit.anvil.Anvil;
import io.pessimism.testkit.chain.ChainDriver;
import io.pessimism.testkit.chain.DevAccounts;
import io.pessimism.testkit.chain.Factory;
import io.pessimism.testkit.kafka.KafkaClusterExtension;
import io.pessimism.topic.Topic;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A block whose contracts were listed and then orphaned: its retraction carries the same list (the
 * oracle retracts the block it wrote), and the new canonical block at its height lists none.
 */
class ContractCreationsReorgTest {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleNode();

    @Test
    void theRetractionOfABlockCarriesItsCreatedContracts() {
        try (Anvil anvil = Anvil.builder().start(); ChainDriver chain = ChainDriver.connect(anvil.httpUrl())) {
            String factory = chain.deployFactory();
            long orphan = chain.send(DevAccounts.get(0), factory, BigInteger.ZERO,
                    Factory.createCall(BigInteger.ONE)).getBlockNumber().longValueExact();
            Topic<String, Block> topic = TestTopics.blocks("cc-reorg", Network.LAYER1);
            OracleSettings settings = OracleSettings.builder(Network.LAYER1, anvil.httpUrl(), KAFKA.bootstrapServers())
                    .pollInterval(Duration.ofMillis(50)).contractCreations(ContractCreations.TRACES).build();
            try (GethBlockOracle oracle = new GethBlockOracle(settings, topic)) {
                oracle.start();
                await("the oracle writes block " + orphan).atMost(Duration.ofSeconds(30))
                        .until(() -> oracle.status().oracleHead() == orphan);
                chain.reorg(1); // the block with the factory's creation replaced by an empty one
                await("the oracle retracts block " + orphan).atMost(Duration.ofSeconds(30))
                        .until(() -> oracle.status().reorgs() == 1 && oracle.status().oracleHead() == orphan);
            }

            List<Block> atOrphan = TopicReader.readSettled(KAFKA.bootstrapServers(), topic.name(),
                    topic.valueSerde().deserializer()).stream().map(Entry::block)
                    .filter(b -> b.getNumber() == orphan).toList();
            assertThat(atOrphan).extracting(Block::getRemoved).containsExactly(false, true, false);
            assertThat(atOrphan.get(0).getCreatedContracts()).singleElement()
                    .satisfies(c -> assertThat(c.getKind()).isEqualTo(CreationKind.CREATE))
                    .satisfies(c -> assertThat(c.getCreator()).isEqualTo(factory));
            assertThat(atOrphan.get(1)).as("the retraction is the orphaned block as written, removed")
                    .isEqualTo(Block.newBuilder(atOrphan.get(0)).setRemoved(true).build());
            assertThat(atOrphan.get(2).getCreatedContracts()).as("the new canonical block is empty").isEmpty();
        }
    }
}
