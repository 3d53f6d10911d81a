package io.pessimism.app.e2e;

import static org.awaitility.Awaitility.await;

import io.pessimism.schemaregistry.RestSchemaRegistryClient;
import io.pessimism.serde.SpecificAvroDeserializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a pipeline's {@code .out} as a risk engine would: a plain consumer, {@code read_committed},
 * the Confluent wire format decoded with the schema the registry serves for each record's id.
 * No consumer group, so a read never waits for a rebalance. {@code V} is the register's {@code .out}
 * value class ({@code EventLogOutput}, {@code AccountBalanceOutput}, {@code GethBlockOutput}).
 */
final class OutTopicReader<V extends SpecificRecord> {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    /** One record of a {@code .out}: its key (an address or a block number) and its value. */
    record Keyed<V>(String key, V value) {
    }

    private final String bootstrapServers;
    private final String registryUrl;
    private final Class<V> type;

    OutTopicReader(String bootstrapServers, String registryUrl, Class<V> type) {
        this.bootstrapServers = bootstrapServers;
        this.registryUrl = registryUrl;
        this.type = type;
    }

    /**
     * Reads {@code topic} until a record matching {@code wanted} is committed, for at most
     * {@code atMost}; returns everything read then. On one partition, records of earlier blocks
     * precede it.
     */
    List<V> awaitRecord(String topic, String what, Predicate<V> wanted, Duration atMost) {
        return awaitKeyed(topic, what, wanted, atMost).stream().map(Keyed::value).toList();
    }

    /** As {@link #awaitRecord}, each record with its key. */
    List<Keyed<V>> awaitKeyed(String topic, String what, Predicate<V> wanted, Duration atMost) {
        return await("the branch writes " + what + " to " + topic)
                .atMost(atMost).pollInterval(Duration.ofMillis(250))
                .until(() -> readKeyed(topic), records -> records.stream().map(Keyed::value).anyMatch(wanted));
    }

    /**
     * Every committed record of {@code topic} up to its last stable offset as it is now, in offset
     * order; none while the topic does not exist yet.
     */
    List<V> readAll(String topic) {
        return readKeyed(topic).stream().map(Keyed::value).toList();
    }

    /** As {@link #readAll}, each record with its key. */
    List<Keyed<V>> readKeyed(String topic) {
        return readKeyed(topic, IsolationLevel.READ_COMMITTED);
    }

    /**
     * Every record of {@code topic} {@code isolation} shows, as it is now: {@code read_uncommitted}
     * adds the records of open and aborted transactions, up to the high watermark.
     */
    List<Keyed<V>> readKeyed(String topic, IsolationLevel isolation) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        var values = new SpecificAvroDeserializer<>(type, new RestSchemaRegistryClient(registryUrl));
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), values)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, TIMEOUT).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            if (partitions.isEmpty()) {
                return List.of(); // the branch creates its .out when it starts, after the create answered
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
            List<Keyed<V>> records = new ArrayList<>();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " up to " + end + " within "
                            + TIMEOUT + " (" + records.size() + " records read)");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(r -> records.add(new Keyed<>(r.key(), r.value())));
            }
            return records;
        }
    }
}
