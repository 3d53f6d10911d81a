package io.pessimism.serde;

import io.pessimism.schemaregistry.SchemaRegistryClient;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Writes generated Avro classes ({@link SpecificRecord}) in Confluent's wire format, with each
 * class's own data model (so its logical-type conversions apply).
 * Configure it Kafka-style ({@link #configure}, see {@link AvroSerdeConfig}) or give it a client.
 */
public final class SpecificAvroSerializer<T extends SpecificRecord> extends WireFormatSerializer<T> {

    /** For Kafka's reflection: {@link #configure} must follow, with {@code schema.registry.url}. */
    public SpecificAvroSerializer() {
        this(null);
    }

    /** Uses {@code client}; usable at once as a value serializer with the default settings. */
    public SpecificAvroSerializer(SchemaRegistryClient client) {
        super(client, SpecificData::getForSchema);
    }
}
