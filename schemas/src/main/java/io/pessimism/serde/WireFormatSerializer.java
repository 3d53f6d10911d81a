package io.pessimism.serde;

import io.pessimism.schemaregistry.SchemaRegistryClient;
import java.util.Map;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.kafka.common.serialization.Serializer;

/**
 * What the generic and specific serializers share: configuration (Kafka-style or with a client)
 * and writing in Confluent's wire format; they differ only in the Avro data model they write with.
 */
abstract class WireFormatSerializer<T extends GenericContainer> implements Serializer<T> {

    private final SchemaRegistryClient client;
    private final Function<Schema, GenericData> model;
    private AvroRecordWriter writer;

    WireFormatSerializer(SchemaRegistryClient client, Function<Schema, GenericData> model) {
        this.client = client;
        this.model = model;
        if (client != null) {
            this.writer = new AvroRecordWriter(client, AvroSerdeConfig.defaults(), false, model);
        }
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        AvroSerdeConfig config = AvroSerdeConfig.from(configs);
        configure(config, config.clientOr(client), isKey);
    }

    /** Lets a serde share one client (one cache) between its serializer and deserializer. */
    void configure(AvroSerdeConfig config, SchemaRegistryClient registry, boolean isKey) {
        this.writer = new AvroRecordWriter(registry, config, isKey, model);
    }

    @Override
    public byte[] serialize(String topic, T record) {
        return Configured.require(writer, getClass()).write(topic, record);
    }
}
