package io.pessimism.oracle.geth;

import io.pessimism.avro.Block;
import io.pessimism.topic.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Rebuilds the oracle's position from its own topic: reads the last committed records
 * ({@code read_committed}, from the end backwards in growing steps) and replays them into a
 * {@link ChainWindow}. Run after the producer's {@code initTransactions}, which aborts a transaction a
 * killed instance left open, so the last stable offset is the end of the log. The last offsets may be
 * commit or abort markers: reading goes by position, not by the offset of the last record.
 */
final class TopicTail {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private TopicTail() {
    }

    static ChainWindow rebuild(String bootstrapServers, String topic, Deserializer<Block> deserializer, int capacity) {
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, Block> consumer = new KafkaConsumer<>(config(bootstrapServers),
                new StringDeserializer(), deserializer)) {
            consumer.assign(List.of(partition));
            long begin = consumer.beginningOffsets(List.of(partition)).get(partition);
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            long lookback = Math.max(2L * capacity, 16);
            while (true) {
                long from = Math.max(begin, end - lookback);
                ChainWindow window = replay(consumer, partition, from, end, capacity);
                // Retractions near the end can empty a short scan; look further back until the window
                // is full or the whole topic has been read.
                if (window.size() >= capacity || from == begin) {
                    return window;
                }
                lookback *= 2;
            }
        }
    }

    private static ChainWindow replay(KafkaConsumer<String, Block> consumer, TopicPartition partition, long from,
            long end, int capacity) {
        ChainWindow window = new ChainWindow(capacity);
        consumer.seek(partition, from);
        long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        while (consumer.position(partition) < end) {
            if (System.nanoTime() > deadline) {
                throw new KafkaException("could not read " + partition + " up to offset " + end + " within "
                        + READ_TIMEOUT + "; stuck at " + consumer.position(partition));
            }
            for (ConsumerRecord<String, Block> record : consumer.poll(Duration.ofMillis(200))) {
                if (record.offset() < end) {
                    if (record.value() == null) {
                        throw new KafkaException("record " + partition + "@" + record.offset() + " (key "
                                + record.key() + ") has no value; the oracle's topic holds only blocks");
                    }
                    window.replay(record.value());
                }
            }
        }
        return window;
    }

    private static Map<String, Object> config(String bootstrapServers) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MAX_MESSAGE_BYTES);
        return config;
    }
}
