package io.pessimism.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pessimism.avro.AccountBalance;
import io.pessimism.avro.AddressInterest;
import io.pessimism.network.Network;
import io.pessimism.registry.Registers;
import io.pessimism.schemaregistry.InProcessSchemaRegistry;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class StoreSerdeAndRegisterOutputTest {

    private final InProcessSchemaRegistry registry = InProcessSchemaRegistry.inMemory();
    private final Topics topics = new Topics(new TopicNames("tt"), registry, -1);

    @Test
    void storeSerdeRoundTripsWithoutTouchingTheRegistry() {
        var serde = Topics.storeSerde(AddressInterest.class);
        var interest = new AddressInterest("p", "0xab", "alice", List.of("Ping(address,uint256)"), 7L);

        byte[] bytes = serde.serializer().serialize("tt.x-interests-changelog", interest);

        assertThat(bytes[0]).as("no Confluent magic byte framing").isNotEqualTo((byte) 0);
        assertThat(serde.deserializer().deserialize("tt.x-interests-changelog", bytes)).isEqualTo(interest);
        assertThat(registry.subjects()).isEmpty();
        assertThat(serde.serializer().serialize("t", null)).isNull();
    }

    @Test
    void storeSerdeNamesTheStoreAndTypeOnGarbage() {
        var serde = Topics.storeSerde(AddressInterest.class);
        assertThatThrownBy(() -> serde.deserializer().deserialize("tt.s", new byte[] {(byte) 0xff, 1}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("tt.s").hasMessageContaining("AddressInterest");
    }

    @Test
    void registerOutputIsTheSharedRegisterTopicWithTheRegistersType() {
        Topic<String, ?> blocks = topics.registerOutput(Network.LAYER1, Registers.GETH_BLOCK);
        assertThat(blocks.name()).isEqualTo(topics.blocks(Network.LAYER1).name());
        assertThat(blocks.configs()).isEqualTo(topics.blocks(Network.LAYER1).configs());

        Topic<String, ?> balances = topics.registerOutput(Network.LAYER2, Registers.ACCOUNT_BALANCE);
        assertThat(balances.name()).isEqualTo("tt.layer2.account_balance");
        assertThat(balances.configs()).containsEntry("retention.ms", "-1");
        var balance = new AccountBalance("layer2", "0xab", 3L, "0xh", "12", "10", 2L, false, false);
        @SuppressWarnings("unchecked")
        var serde = (org.apache.kafka.common.serialization.Serde<Object>) balances.valueSerde();
        byte[] bytes = serde.serializer().serialize(balances.name(), balance);
        assertThat(serde.deserializer().deserialize(balances.name(), bytes)).isEqualTo(balance);
    }
}
