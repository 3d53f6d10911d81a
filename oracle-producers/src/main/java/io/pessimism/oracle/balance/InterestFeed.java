package io.pessimism.oracle.balance;

import io.pessimism.avro.AddressInterest;
import io.pessimism.config.KafkaConnection;
import io.pessimism.topic.Topic;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link WatchList} equal to the shared address state: reads {@code <ns>.state} from its
 * beginning ({@code read_committed}, no group: every session reads it whole) and goes on following
 * it. A record it cannot decode is logged with its offset, counted and skipped, as the ETL's
 * interest loader does: one bad record written by hand must not stop every balance.
 */
final class InterestFeed implements AutoCloseable {

    private static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(60);

    private static final Logger log = LoggerFactory.getLogger(InterestFeed.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final Deserializer<AddressInterest> values;
    private long rejected;
    private final WatchList watch;
    private final String topic;

    InterestFeed(KafkaConnection kafka, Topic<String, AddressInterest> state, WatchList watch, String clientId) {
        Properties props = kafka.asProperties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-interests");
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.values = state.valueSerde().deserializer();
        this.watch = watch;
        this.topic = state.name();
    }

    /** Assigns every partition of the state topic from its beginning and reads up to its end. */
    InterestFeed catchUp() {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, CATCH_UP_TIMEOUT).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, CATCH_UP_TIMEOUT);
        long deadline = System.nanoTime() + CATCH_UP_TIMEOUT.toNanos();
        while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
            if (System.nanoTime() > deadline) {
                throw new KafkaException("could not read " + topic + " up to " + end + " within " + CATCH_UP_TIMEOUT
                        + "; at " + partitions.stream().collect(Collectors.toMap(p -> p, consumer::position)));
            }
            poll(Duration.ofMillis(200));
        }
        return this;
    }

    /** Applies what arrives within {@code timeout}. */
    void poll(Duration timeout) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(timeout)) {
            AddressInterest value;
            try {
                value = record.value() == null ? null : values.deserialize(topic, record.value());
            } catch (RuntimeException e) {
                rejected++;
                log.error("interest record {} at {}-{}@{} skipped: its value cannot be decoded: {}", record.key(),
                        record.topic(), record.partition(), record.offset(), e.getMessage());
                continue;
            }
            watch.apply(record.key(), value);
        }
    }

    /** Records skipped because they could not be decoded. */
    long rejected() {
        return rejected;
    }

    long horizon() {
        return watch.horizon();
    }

    WatchList watch() {
        return watch;
    }

    void wakeup() {
        consumer.wakeup();
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
