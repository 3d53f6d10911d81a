package io.pessimism.serde;

import io.pessimism.schemaregistry.SchemaRegistryClient;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Writes {@link GenericRecord}s (any schema, e.g. in tools) in Confluent's wire format.
 * Configure it Kafka-style ({@link #configure}, see {@link AvroSerdeConfig}) or give it a client.
 */
public final class GenericAvroSerializer extends WireFormatSerializer<GenericRecord> {

    /** For Kafka's reflection: {@link #configure} must follow, with {@code schema.registry.url}. */
    public GenericAvroSerializer() {
        this(null);
    }

    /** Uses {@code client}; usable at once as a value serializer with the default settings. */
    public GenericAvroSerializer(SchemaRegistryClient client) {
        super(client, schema -> GenericData.get());
    }
}
