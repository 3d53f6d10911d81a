package io.pessimism.oracle.geth;

import io.pessimism.avro.Block;
import io.pessimism.oracle.OracleMeters;
import io.pessimism.oracle.OracleProducers;
import io.pessimism.oracle.OracleSettings;
import io.pessimism.topic.Topic;
import io.pessimism.topic.Topics;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The GethBlock oracle's transactional producer ({@link OracleProducers}) on its one-partition topic.
 * The fixed transactional id makes {@link #init} abort whatever a previous instance (killed or not)
 * left open, and fences it.
 * Key: the block number as a decimal string; record timestamp: the wall clock at send time (never
 * the block time, which Kafka could reject and retention would act on).
 */
final class BlockWriter implements AutoCloseable {

    /** Room for a record's framing (length, attributes, offsets, headers count) around key and value. */
    private static final int RECORD_OVERHEAD = 1024;

    private final String topic;
    private final Serializer<String> keySerializer;
    private final Serializer<Block> serializer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final int maxRequestSize;
    private final AutoCloseable producerMeters;

    BlockWriter(OracleSettings settings, Topic<String, Block> topic, OracleMeters meters) {
        this.topic = topic.name();
        this.keySerializer = topic.keySerde().serializer();
        this.serializer = topic.valueSerde().serializer();
        Map<String, Object> config = config(settings, topic.name());
        this.maxRequestSize = Integer.parseInt(config.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG).toString());
        this.producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        this.producerMeters = meters.bind(producer);
    }

    /** Batches sized for blocks (large, many per transaction), compressed as they fill. */
    static Map<String, Object> config(OracleSettings settings, String topic) {
        return OracleProducers.config(settings, topic, Map.of(
                ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024));
    }

    String topic() {
        return topic;
    }

    byte[] encode(Block block) {
        return serializer.serialize(topic, block);
    }

    void init() {
        producer.initTransactions();
    }

    void begin() {
        producer.beginTransaction();
    }

    /** Sends one block; a block too large for Kafka fails here, naming it, before it breaks the transaction. */
    void send(Block block, byte[] value) {
        byte[] key = keySerializer.serialize(topic, Long.toString(block.getNumber()));
        // the producer refuses a record whose size with its framing exceeds max.request.size
        if (value.length + key.length + RECORD_OVERHEAD > maxRequestSize) {
            throw tooLarge("block " + block.getNumber() + " is " + value.length + " bytes encoded,", null);
        }
        producer.send(new ProducerRecord<>(topic, 0, System.currentTimeMillis(), key, value));
    }

    /** Why a block ({@code what}: which, and its size when known) cannot be written, and what to raise. */
    BlockTooLargeException tooLarge(String what, Throwable cause) {
        return new BlockTooLargeException(topic + ": " + what + " too large for Kafka (producer "
                + "max.request.size " + maxRequestSize + " bytes, topic max.message.bytes " + Topics.MAX_MESSAGE_BYTES
                + " by default); raise both (the topic's config and the oracle's producer override) and restart "
                + "the oracle: it stops rather than retry this block for good", cause);
    }

    void commit() {
        producer.commitTransaction();
    }

    void abort() {
        producer.abortTransaction();
    }

    @Override
    public void close() {
        try {
            producerMeters.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing the producer's meters of " + topic, e);
        } finally {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
