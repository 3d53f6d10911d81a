package io.pessimism.serde;

import io.pessimism.schemaregistry.SchemaRegistryClient;
import io.pessimism.schemaregistry.SchemaRegistryException;
import io.pessimism.schemaregistry.SchemaVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Frames Avro records in Confluent's wire format, finding each schema's id in the registry per
 * {@link AvroSerdeConfig}: registered on first use, looked up, or the subject's latest version.
 * Ids are cached per (subject, schema) for the writer's life.
 */
final class AvroRecordWriter {

    /** The id to frame with and the schema to encode with (differs from the record's only with use.latest.version). */
    private record Target(int id, Schema schema) {
    }

    private final SchemaRegistryClient client;
    private final AvroSerdeConfig config;
    private final boolean isKey;
    private final Function<Schema, GenericData> modelFor;
    private final Map<String, Map<Schema, Target>> targets = new ConcurrentHashMap<>();
    private final Map<Schema, DatumWriter<Object>> writers = new ConcurrentHashMap<>();

    /** @param modelFor the Avro data model to write records of a schema with (specific or generic) */
    AvroRecordWriter(SchemaRegistryClient client, AvroSerdeConfig config, boolean isKey, Function<Schema, GenericData> modelFor) {
        this.client = client;
        this.config = config;
        this.isKey = isKey;
        this.modelFor = modelFor;
    }

    byte[] write(String topic, GenericContainer record) {
        if (record == null) {
            return null;
        }
        String subject = WireFormat.subject(topic, isKey);
        Schema schema = record.getSchema();
        Target target = targets.computeIfAbsent(subject, s -> new ConcurrentHashMap<>())
                .computeIfAbsent(schema, s -> resolve(topic, subject, s));
        try {
            Object datum = target.schema().equals(schema) ? record : convert(record, target.schema());
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            out.write(WireFormat.header(target.id()));
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writer(target.schema()).write(datum, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("topic " + topic + ": could not serialize a " + schema.getFullName()
                    + " with schema id " + target.id() + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private DatumWriter<Object> writer(Schema schema) {
        return writers.computeIfAbsent(schema, s -> (DatumWriter<Object>) modelFor.apply(s).createDatumWriter(s));
    }

    private Target resolve(String topic, String subject, Schema schema) {
        try {
            if (config.useLatestVersion()) {
                SchemaVersion latest = client.latest(subject);
                return new Target(latest.id(), latest.schema());
            }
            if (config.autoRegisterSchemas()) {
                return new Target(client.register(subject, schema), schema);
            }
            return new Target(client.lookup(subject, schema).id(), schema);
        } catch (SchemaRegistryException e) {
            String how = config.useLatestVersion() ? "find the latest schema of"
                    : config.autoRegisterSchemas() ? "register " + schema.getFullName() + " under"
                    : "find " + schema.getFullName() + " registered (auto.register.schemas=false) under";
            throw new SerializationException("topic " + topic + ": could not " + how + " subject " + subject
                    + ": " + e.getMessage(), e);
        }
    }

    /** Re-encodes {@code record} in {@code target} by Avro schema resolution (use.latest.version). */
    private Object convert(GenericContainer record, Schema target) throws IOException {
        ByteArrayOutputStream own = new ByteArrayOutputStream(256);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(own, null);
        writer(record.getSchema()).write(record, encoder);
        encoder.flush();
        GenericDatumReader<Object> reader = new GenericDatumReader<>(record.getSchema(), target, GenericData.get());
        return reader.read(null, DecoderFactory.get().binaryDecoder(own.toByteArray(), null));
    }
}
