package io.pessimism.serde;

import io.pessimism.schemaregistry.SchemaRegistryClient;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent-framed Avro into a generated class: the writer schema (fetched by id) is
 * resolved against the class's schema, so records written with an older or newer compatible
 * version read as the class expects. Without a class, the class is the one named like the
 * writer schema.
 *
 * <p>Avro 1.12 loads generated classes only from packages listed in the system property
 * {@code org.apache.avro.SERIALIZABLE_PACKAGES} (ours: {@code io.pessimism.avro}).
 */
public final class SpecificAvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {

    private final Class<T> type;
    private final SchemaRegistryClient client;
    private AvroRecordReader reader;

    /** For Kafka's reflection: reads the class named by the writer schema; {@link #configure} must follow. */
    public SpecificAvroDeserializer() {
        this(null, null);
    }

    /** Reads into {@code type}; {@link #configure} must follow, with {@code schema.registry.url}. */
    public SpecificAvroDeserializer(Class<T> type) {
        this(type, null);
    }

    /** Reads into {@code type} (null: the class named by the writer schema) with {@code client}; usable at once. */
    public SpecificAvroDeserializer(Class<T> type, SchemaRegistryClient client) {
        this.type = type;
        this.client = client;
        if (client != null) {
            this.reader = reader(client);
        }
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        configure(AvroSerdeConfig.from(configs).clientOr(client));
    }

    /** Lets a serde share one client (one cache) between its serializer and deserializer. */
    void configure(SchemaRegistryClient registry) {
        this.reader = reader(registry);
    }

    private AvroRecordReader reader(SchemaRegistryClient registry) {
        if (type == null) {
            return byWriterName(registry);
        }
        SpecificData model = SpecificData.getForClass(type);
        Schema readerSchema = model.getSchema(type);
        return new AvroRecordReader(registry, writer -> readerSchema, schema -> model);
    }

    /** A reader into whichever generated class is named like each writer schema. */
    static AvroRecordReader byWriterName(SchemaRegistryClient registry) {
        return new AvroRecordReader(registry, SpecificAvroDeserializer::classSchemaFor, SpecificData::getForSchema);
    }

    private static Schema classSchemaFor(Schema writer) {
        Class<?> generated = SpecificData.get().getClass(writer);
        if (generated == null || !SpecificRecord.class.isAssignableFrom(generated)) {
            throw new SerializationException("no generated Avro class named " + writer.getFullName()
                    + " on the classpath (or its package is not in org.apache.avro.SERIALIZABLE_PACKAGES)");
        }
        return SpecificData.getForClass(generated).getSchema(generated);
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        Object record = Configured.require(reader, getClass()).read(topic, data);
        if (record == null) {
            return null;
        }
        if (type != null && !type.isInstance(record)) {
            throw new SerializationException("topic " + topic + ": read a " + record.getClass().getName()
                    + " where a " + type.getName() + " was expected");
        }
        @SuppressWarnings("unchecked")
        T typed = (T) record;
        return typed;
    }
}
