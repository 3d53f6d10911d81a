package io.pessimism.schemaregistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** Settings validation and the Kafka-less mode, without a broker. */
class EmbeddedSchemaRegistryBuilderTest {

    @Test
    void refusesToBuildWithoutKafkaOrWithoutALegalStoreTopic() {
        assertThatThrownBy(() -> EmbeddedSchemaRegistry.builder().storeTopic("pessimism._schemas").build())
                .hasMessageContaining("bootstrapServers");
        assertThatThrownBy(() -> EmbeddedSchemaRegistry.builder().bootstrapServers("localhost:9092").build())
                .hasMessageContaining("storeTopic is required");
        assertThatThrownBy(() -> EmbeddedSchemaRegistry.builder().bootstrapServers("localhost:9092").storeTopic("a b").build())
                .hasMessageContaining("storeTopic")
                .hasMessageContaining("a b");
        assertThatThrownBy(() -> EmbeddedSchemaRegistry.builder().bootstrapServers("localhost:9092").storeTopic("_schemas").build())
                .hasMessageContaining("must not be _schemas");
        assertThatThrownBy(() -> EmbeddedSchemaRegistry.builder().bootstrapServers("localhost:9092").storeTopic("ns._schemas")
                .replicationFactor(0).build())
                .hasMessageContaining("replicationFactor");
    }

    @Test
    void servesOnAFreePortInMemoryAndFreesItOnClose() {
        EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.builder().inMemory().port(0).build().start();
        String url = registry.url();
        try {
            assertThat(url).startsWith("http://127.0.0.1:").doesNotEndWith(":0");
            Schema schema = Schema.create(Schema.Type.STRING);
            RestSchemaRegistryClient client = new RestSchemaRegistryClient(url);
            int id = client.register("k-key", schema);
            assertThat(client.schemaById(id)).isEqualTo(schema);
            assertThat(registry.registry().latest("k-key").id()).isEqualTo(id);
            assertThatThrownBy(registry::start).hasMessageContaining("already started");
        } finally {
            registry.close();
        }
        assertThatThrownBy(() -> new RestSchemaRegistryClient(url).subjects())
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("could not reach the schema registry");
    }
}
