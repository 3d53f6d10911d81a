package io.pessimism.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pessimism.avro.MergedInto;
import io.pessimism.schemaregistry.InProcessSchemaRegistry;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class WireFormatTest {

    private static final int ID = 0x01020304;
    private final SpecificAvroSerde<MergedInto> serde = new SpecificAvroSerde<>(MergedInto.class, new FixedIdRegistry(ID));

    private static final MergedInto MARKER = MergedInto.newBuilder().setPuuid("p").setTopic("t").setFromHeight(3).build();

    @Test
    void writesMagicByteBigEndianIdThenAvroBinary() {
        byte[] bytes = serde.serializer().serialize("out", MARKER);

        assertThat(bytes).containsExactly(
                0x00,                   // magic byte
                0x01, 0x02, 0x03, 0x04, // schema id 0x01020304, big-endian
                0x02, 'p',              // puuid: length 1 (zigzag 2), "p"
                0x02, 't',              // topic: length 1, "t"
                0x06);                  // fromHeight: 3 (zigzag 6)
    }

    @Test
    void readsWhatItWrites() {
        byte[] bytes = serde.serializer().serialize("out", MARKER);

        assertThat(serde.deserializer().deserialize("out", bytes)).isEqualTo(MARKER);
    }

    @Test
    void nullIsATombstoneBothWays() {
        assertThat(serde.serializer().serialize("out", null)).isNull();
        assertThat(serde.deserializer().deserialize("out", null)).isNull();
    }

    @Test
    void subjectsFollowTopicNameStrategy() {
        assertThat(WireFormat.subject("pessimism.layer1.geth_block", false)).isEqualTo("pessimism.layer1.geth_block-value");
        assertThat(WireFormat.subject("pessimism.layer1.geth_block", true)).isEqualTo("pessimism.layer1.geth_block-key");
    }

    @Test
    void aWrongMagicByteNamesTheTopic() {
        byte[] bytes = serde.serializer().serialize("out", MARKER);
        bytes[0] = 0x7b;

        assertThatThrownBy(() -> serde.deserializer().deserialize("my.topic", bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("my.topic")
                .hasMessageContaining("magic byte 0x7b");
    }

    @Test
    void aMissingHeaderNamesTheTopic() {
        assertThatThrownBy(() -> serde.deserializer().deserialize("my.topic", new byte[] {0, 1}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("my.topic")
                .hasMessageContaining("2 bytes are too few");
    }

    @Test
    void truncatedDataNamesTopicAndId() {
        byte[] bytes = serde.serializer().serialize("out", MARKER);
        byte[] truncated = Arrays.copyOf(bytes, bytes.length - 2);

        assertThatThrownBy(() -> serde.deserializer().deserialize("my.topic", truncated))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("my.topic")
                .hasMessageContaining("schema id " + ID);
    }

    @Test
    void leftOverBytesAreAnError() {
        byte[] bytes = serde.serializer().serialize("out", MARKER);
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);

        assertThatThrownBy(() -> serde.deserializer().deserialize("my.topic", longer))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("left over");
    }

    @Test
    void anUnknownIdNamesTopicAndIdAndReason() {
        SpecificAvroDeserializer<MergedInto> deserializer =
                new SpecificAvroDeserializer<>(MergedInto.class, InProcessSchemaRegistry.inMemory());

        assertThatThrownBy(() -> deserializer.deserialize("my.topic", new byte[] {0, 0, 0, 0, 9, 2, 'p'}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("my.topic")
                .hasMessageContaining("schema id 9")
                .hasMessageContaining("Schema 9 not found");
    }

    @Test
    void anUnconfiguredSerdeSaysHowToConfigureIt() {
        SpecificAvroSerializer<MergedInto> unconfigured = new SpecificAvroSerializer<>();

        assertThatThrownBy(() -> unconfigured.serialize("out", MARKER))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("schema.registry.url");
    }
}
