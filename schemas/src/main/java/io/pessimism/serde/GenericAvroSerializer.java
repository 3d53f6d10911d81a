package io.pessimism.serde;

import io.pessimism.schemaregistry.SchemaRegistryClient;
import java.util.Map;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes {@link GenericRecord}s (any schema, e.g. in tools) in Confluent's wire format.
 * Configure it Kafka-style ({@link #configure}, see {@link AvroSerdeConfig}) or give it a client.
 */
public final class GenericAvroSerializer implements Serializer<GenericRecord> {

    private final SchemaRegistryClient client;
    private AvroRecordWriter writer;

    /** For Kafka's reflection: {@link #configure} must follow, with {@code schema.registry.url}. */
    public GenericAvroSerializer() {
        this(null);
    }

    /** Uses {@code client}; usable at once as a value serializer with the default settings. */
    public GenericAvroSerializer(SchemaRegistryClient client) {
        this.client = client;
        if (client != null) {
            this.writer = writer(client, AvroSerdeConfig.defaults(), false);
        }
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        AvroSerdeConfig config = AvroSerdeConfig.from(configs);
        configure(config, config.clientOr(client), isKey);
    }

    /** Lets a serde share one client (one cache) between its serializer and deserializer. */
    void configure(AvroSerdeConfig config, SchemaRegistryClient registry, boolean isKey) {
        this.writer = writer(registry, config, isKey);
    }

    private static AvroRecordWriter writer(SchemaRegistryClient client, AvroSerdeConfig config, boolean isKey) {
        return new AvroRecordWriter(client, config, isKey, schema -> GenericData.get());
    }

    @Override
    public byte[] serialize(String topic, GenericRecord record) {
        return Configured.require(writer, getClass()).write(topic, record);
    }
}
