package io.pessimism.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.pessimism.avro.PipelineState;
import io.pessimism.avro.PipelineStatus;
import io.pessimism.schemaregistry.EmbeddedSchemaRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The serdes configured Kafka-style (each with its own REST client) ask the registry once per
 * subject or id, not once per record: requests counted at the embedded registry. Data is
 * prepared through the in-process registry, which the count does not see.
 */
class SerdeRegistryCachingTest {

    private static final int RECORDS = 100;

    private EmbeddedSchemaRegistry registry;

    @BeforeEach
    void start() {
        registry = EmbeddedSchemaRegistry.builder().inMemory().build().start();
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    private Map<String, Object> config(Object... extra) {
        Map<String, Object> config = new HashMap<>(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry.url()));
        for (int i = 0; i < extra.length; i += 2) {
            config.put((String) extra[i], extra[i + 1]);
        }
        return config;
    }

    private static PipelineStatus status(long height) {
        return PipelineStatus.newBuilder().setPuuid("p0").setState(PipelineState.LIVE).setHeight(height).setUpdatedAt(1L).build();
    }

    @Test
    void serializingRecordsOfOneSchemaRegistersItOncePerSubject() {
        SpecificAvroSerializer<PipelineStatus> serializer = new SpecificAvroSerializer<>();
        serializer.configure(config(), false);

        serializer.serialize("t1", status(0));
        assertThat(registry.requestCount()).as("the first record registers its schema").isEqualTo(1);
        for (int i = 1; i < RECORDS; i++) {
            serializer.serialize("t1", status(i));
        }
        assertThat(registry.requestCount()).as("later records of the same schema").isEqualTo(1);

        serializer.serialize("t2", status(0));
        assertThat(registry.requestCount()).as("another topic is another subject").isEqualTo(2);
    }

    @Test
    void withUseLatestVersionTheLatestSchemaIsFetchedOnce() {
        registry.registry().register("t-value", PipelineStatus.getClassSchema());
        SpecificAvroSerializer<PipelineStatus> serializer = new SpecificAvroSerializer<>();
        serializer.configure(config(AvroSerdeConfig.USE_LATEST_VERSION, true), false);

        for (int i = 0; i < RECORDS; i++) {
            serializer.serialize("t", status(i));
        }
        // the client never caches "latest" (it changes): only the serializer's own cache saves these
        assertThat(registry.requestCount()).isEqualTo(1);
    }

    @Test
    void deserializingRecordsOfOneIdFetchesItsSchemaOnce() {
        SpecificAvroSerializer<PipelineStatus> writer = new SpecificAvroSerializer<>(registry.registry());
        List<byte[]> written = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            written.add(writer.serialize("t", status(i)));
        }
        SpecificAvroDeserializer<PipelineStatus> deserializer = new SpecificAvroDeserializer<>(PipelineStatus.class);
        deserializer.configure(config(), false);

        assertThat(deserializer.deserialize("t", written.get(0))).isEqualTo(status(0));
        assertThat(registry.requestCount()).as("the first record fetches its writer schema").isEqualTo(1);
        for (int i = 1; i < RECORDS; i++) {
            assertThat(deserializer.deserialize("t", written.get(i))).isEqualTo(status(i));
        }
        assertThat(registry.requestCount()).as("later records with the same id").isEqualTo(1);
    }
}
