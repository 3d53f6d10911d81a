package io.pessimism.serde;

import io.pessimism.schemaregistry.SchemaRegistryClient;
import java.util.Map;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent-framed Avro as {@link GenericRecord}s in the writer's schema; with
 * {@code specific.avro.reader=true}, as the generated class named like the writer schema
 * (which is a GenericRecord too).
 */
public final class GenericAvroDeserializer implements Deserializer<GenericRecord> {

    private final SchemaRegistryClient client;
    private AvroRecordReader reader;

    /** For Kafka's reflection: {@link #configure} must follow, with {@code schema.registry.url}. */
    public GenericAvroDeserializer() {
        this(null);
    }

    /** Uses {@code client}; usable at once (generic records). */
    public GenericAvroDeserializer(SchemaRegistryClient client) {
        this.client = client;
        if (client != null) {
            this.reader = reader(client, false);
        }
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        AvroSerdeConfig config = AvroSerdeConfig.from(configs);
        configure(config, config.clientOr(client));
    }

    /** Lets a serde share one client (one cache) between its serializer and deserializer. */
    void configure(AvroSerdeConfig config, SchemaRegistryClient registry) {
        this.reader = reader(registry, config.specificAvroReader());
    }

    private static AvroRecordReader reader(SchemaRegistryClient client, boolean specific) {
        return specific
                ? SpecificAvroDeserializer.byWriterName(client)
                : new AvroRecordReader(client, writer -> writer, schema -> GenericData.get());
    }

    @Override
    public GenericRecord deserialize(String topic, byte[] data) {
        Object record = Configured.require(reader, getClass()).read(topic, data);
        return (GenericRecord) record;
    }
}
