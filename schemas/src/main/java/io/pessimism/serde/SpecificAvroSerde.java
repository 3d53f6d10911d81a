package io.pessimism.serde;

import io.pessimism.schemaregistry.SchemaRegistryClient;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde of a generated Avro class in Confluent's wire format:
 * {@code new SpecificAvroSerde<>(EventLogOutput.class, client)} (usable at once, as a value
 * serde with auto-registration), or {@code new SpecificAvroSerde<>(EventLogOutput.class)} then
 * {@link #configure} with {@code schema.registry.url} (see {@link AvroSerdeConfig}).
 */
public final class SpecificAvroSerde<T extends SpecificRecord> implements Serde<T> {

    private final SchemaRegistryClient client;
    private final SpecificAvroSerializer<T> serializer;
    private final SpecificAvroDeserializer<T> deserializer;

    /** For Kafka's reflection ({@code default.value.serde}): reads the class named by the writer schema. */
    public SpecificAvroSerde() {
        this(null, null);
    }

    public SpecificAvroSerde(Class<T> type) {
        this(type, null);
    }

    public SpecificAvroSerde(Class<T> type, SchemaRegistryClient client) {
        this.client = client;
        this.serializer = new SpecificAvroSerializer<>(client);
        this.deserializer = new SpecificAvroDeserializer<>(type, client);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        AvroSerdeConfig config = AvroSerdeConfig.from(configs);
        SchemaRegistryClient registry = config.clientOr(client);
        serializer.configure(config, registry, isKey);
        deserializer.configure(registry);
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }
}
