package io.pessimism.oracle;

import io.pessimism.config.KafkaConnection;
import io.pessimism.topic.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Rebuilds an oracle's position from its own one-partition topic: reads the last committed records
 * ({@code read_committed}, from the end backwards in growing steps) and replays them, oldest first,
 * into what the oracle keeps (GethBlock: its reorg window; a simpler oracle: its last record). Run
 * after the producer's {@code initTransactions}, which aborts a transaction a killed instance left
 * open, so the last stable offset is the end of the log. The last offsets may be commit or abort
 * markers: reading goes by position, not by the offset of the last record.
 */
public final class TopicTail {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    /** What a tail is replayed into; a fresh one for each look further back. */
    public interface Replay<V> {

        /** The next record's value, in offset order. */
        void replay(V value);

        /** True when enough was seen: the read stops looking further back. */
        boolean full();
    }

    private TopicTail() {
    }

    /**
     * Replays the last {@code lookback} offsets of {@code topic} into a fresh replay, then twice as many,
     * and so on, until the replay is full or the whole topic has been read.
     */
    public static <V, R extends Replay<V>> R read(KafkaConnection kafka, String topic, Deserializer<V> deserializer,
            long lookback, Supplier<R> fresh) {
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(config(kafka),
                new StringDeserializer(), deserializer)) {
            consumer.assign(List.of(partition));
            long begin = consumer.beginningOffsets(List.of(partition)).get(partition);
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            long back = Math.max(1, lookback);
            while (true) {
                long from = Math.max(begin, end - back);
                R replay = fresh.get();
                replay(consumer, partition, from, end, replay);
                // Retractions or markers near the end can leave a short scan wanting; look further back
                // until it has enough or the whole topic has been read.
                if (replay.full() || from == begin) {
                    return replay;
                }
                back *= 2;
            }
        }
    }

    /** The value of the topic's last committed record; empty when it holds none. */
    public static <V> Optional<V> last(KafkaConnection kafka, String topic, Deserializer<V> deserializer) {
        return read(kafka, topic, deserializer, 1, Last<V>::new).value;
    }

    private static <V> void replay(KafkaConsumer<String, V> consumer, TopicPartition partition, long from, long end,
            Replay<V> replay) {
        consumer.seek(partition, from);
        long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        while (consumer.position(partition) < end) {
            if (System.nanoTime() > deadline) {
                throw new KafkaException("could not read " + partition + " up to offset " + end + " within "
                        + READ_TIMEOUT + "; stuck at " + consumer.position(partition));
            }
            for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(200))) {
                if (record.offset() < end) {
                    if (record.value() == null) {
                        throw new KafkaException("record " + partition + "@" + record.offset() + " (key "
                                + record.key() + ") has no value; an oracle's topic holds no tombstones");
                    }
                    replay.replay(record.value());
                }
            }
        }
    }

    private static Map<String, Object> config(KafkaConnection kafka) {
        Map<String, Object> config = kafka.properties();
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MAX_MESSAGE_BYTES);
        return config;
    }

    /** Keeps the last value replayed. */
    private static final class Last<V> implements Replay<V> {
        private Optional<V> value = Optional.empty();

        @Override
        public void replay(V next) {
            value = Optional.of(next);
        }

        @Override
        public boolean full() {
            return value.isPresent();
        }
    }
}
