package io.pessimism.oracle.support;

import io.pessimism.avro.Block;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/** Schema-less Avro binary for blocks: the oracle's tests do not need a registry. */
public final class PlainAvroSerde {

    private PlainAvroSerde() {
    }

    public static Serde<Block> blocks() {
        SpecificDatumWriter<Block> writer = new SpecificDatumWriter<>(Block.class);
        Serializer<Block> serializer = (topic, block) -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            try {
                synchronized (writer) {
                    writer.write(block, encoder);
                }
                encoder.flush();
            } catch (IOException e) {
                throw new SerializationException("block " + block.getNumber(), e);
            }
            return out.toByteArray();
        };
        Deserializer<Block> deserializer = (topic, bytes) -> {
            try {
                BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, null);
                return new SpecificDatumReader<>(Block.class).read(null, decoder);
            } catch (IOException e) {
                throw new SerializationException("record of " + topic, e);
            }
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
