package io.pessimism.serde;

import io.pessimism.schemaregistry.SchemaRegistryClient;
import java.util.Map;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes generated Avro classes ({@link SpecificRecord}) in Confluent's wire format, with each
 * class's own data model (so its logical-type conversions apply).
 */
public final class SpecificAvroSerializer<T extends SpecificRecord> implements Serializer<T> {

    private final SchemaRegistryClient client;
    private AvroRecordWriter writer;

    /** For Kafka's reflection: {@link #configure} must follow, with {@code schema.registry.url}. */
    public SpecificAvroSerializer() {
        this(null);
    }

    /** Uses {@code client}; usable at once as a value serializer with the default settings. */
    public SpecificAvroSerializer(SchemaRegistryClient client) {
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
        return new AvroRecordWriter(client, config, isKey, SpecificData::getForSchema);
    }

    @Override
    public byte[] serialize(String topic, T record) {
        return Configured.require(writer, getClass()).write(topic, record);
    }
}
