package io.pessimism.serde;

import io.pessimism.schemaregistry.SchemaRegistryClient;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Serde of {@link GenericRecord}s in Confluent's wire format, for tools that know no generated class. */
public final class GenericAvroSerde implements Serde<GenericRecord> {

    private final SchemaRegistryClient client;
    private final GenericAvroSerializer serializer;
    private final GenericAvroDeserializer deserializer;

    /** For Kafka's reflection: {@link #configure} must follow, with {@code schema.registry.url}. */
    public GenericAvroSerde() {
        this(null);
    }

    /** Uses {@code client}; usable at once as a value serde. */
    public GenericAvroSerde(SchemaRegistryClient client) {
        this.client = client;
        this.serializer = new GenericAvroSerializer(client);
        this.deserializer = new GenericAvroDeserializer(client);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        AvroSerdeConfig config = AvroSerdeConfig.from(configs);
        SchemaRegistryClient registry = config.clientOr(client);
        serializer.configure(config, registry, isKey);
        deserializer.configure(config, registry);
    }

    @Override
    public Serializer<GenericRecord> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<GenericRecord> deserializer() {
        return deserializer;
    }
}
