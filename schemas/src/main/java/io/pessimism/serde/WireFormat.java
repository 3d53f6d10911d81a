package io.pessimism.serde;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Confluent's wire format: magic byte {@code 0x00}, the schema id as a 4-byte big-endian int,
 * then the Avro binary encoding. Subjects follow TopicNameStrategy.
 */
public final class WireFormat {

    public static final byte MAGIC_BYTE = 0x0;
    public static final int HEADER_SIZE = 5;

    private WireFormat() {
    }

    /** TopicNameStrategy: {@code <topic>-key} or {@code <topic>-value}. */
    public static String subject(String topic, boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }

    /** The 5-byte header for {@code schemaId}. */
    static byte[] header(int schemaId) {
        return ByteBuffer.allocate(HEADER_SIZE).put(MAGIC_BYTE).putInt(schemaId).array();
    }

    /**
     * The schema id of a framed record.
     *
     * @throws SerializationException naming the topic when the bytes are not in this format
     */
    public static int schemaId(String topic, byte[] data) {
        if (data.length < HEADER_SIZE) {
            throw new SerializationException("topic " + topic + ": " + data.length
                    + " bytes are too few for the Confluent wire format (magic byte + 4-byte schema id + Avro data)");
        }
        if (data[0] != MAGIC_BYTE) {
            throw new SerializationException(String.format(
                    "topic %s: unknown magic byte 0x%02x (expected 0x00): not Confluent wire format Avro", topic, data[0]));
        }
        return ByteBuffer.wrap(data, 1, 4).getInt();
    }
}
