package io.pessimism.serde;

import io.pessimism.schemaregistry.SchemaRegistryClient;
import io.pessimism.schemaregistry.SchemaRegistryException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Reads Confluent-framed Avro: fetches the writer schema by id (cached by the client) and
 * resolves it against a reader schema chosen per writer schema, so records written with an
 * older or newer compatible schema read as the reader expects.
 */
final class AvroRecordReader {

    private final SchemaRegistryClient client;
    private final Function<Schema, GenericData> modelFor;
    private final Function<Schema, Schema> readerSchemaFor;
    private final Map<Integer, DatumReader<Object>> readers = new ConcurrentHashMap<>();

    /**
     * @param readerSchemaFor the reader schema to resolve a given writer schema to (may throw
     *                        {@link SerializationException} when there is none)
     * @param modelFor        the Avro data model to build records of a reader schema with
     */
    AvroRecordReader(SchemaRegistryClient client, Function<Schema, Schema> readerSchemaFor,
                     Function<Schema, GenericData> modelFor) {
        this.client = client;
        this.modelFor = modelFor;
        this.readerSchemaFor = readerSchemaFor;
    }

    Object read(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        int id = WireFormat.schemaId(topic, data);
        DatumReader<Object> reader = readers.computeIfAbsent(id, i -> datumReader(topic, i));
        try {
            BinaryDecoder decoder = DecoderFactory.get()
                    .binaryDecoder(data, WireFormat.HEADER_SIZE, data.length - WireFormat.HEADER_SIZE, null);
            Object record = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new SerializationException("topic " + topic + ", schema id " + id
                        + ": bytes left over after the record (the data does not match its schema)");
            }
            return record;
        } catch (IOException | RuntimeException e) {
            if (e instanceof SerializationException se) {
                throw se;
            }
            throw new SerializationException("topic " + topic + ", schema id " + id + ": cannot decode "
                    + (data.length - WireFormat.HEADER_SIZE) + " bytes of Avro data (truncated, corrupt or not"
                    + " resolvable to the reader schema): " + e, e);
        }
    }

    private DatumReader<Object> datumReader(String topic, int id) {
        Schema writer;
        try {
            writer = client.schemaById(id);
        } catch (SchemaRegistryException e) {
            throw new SerializationException("topic " + topic + ", schema id " + id
                    + ": cannot fetch the writer schema from the registry: " + e.getMessage(), e);
        }
        Schema reader = readerSchemaFor.apply(writer);
        @SuppressWarnings("unchecked")
        DatumReader<Object> datumReader = (DatumReader<Object>) modelFor.apply(reader).createDatumReader(writer, reader);
        return datumReader;
    }
}
