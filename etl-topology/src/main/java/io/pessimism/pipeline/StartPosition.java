package io.pessimism.pipeline;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a branch starts reading its block topics the first time (DESIGN.md §6): when its consumer
 * group has no committed offset yet, each source partition's offset is set to the first record of
 * a block at or above the pipeline's {@code startHeight}, found by binary search over offsets on
 * the block number in the record key ({@code read_committed}; the topic's end when it does not
 * reach that height yet; its end when there is no start height: new blocks only). A group with
 * committed offsets is left alone: a restarted branch resumes where it committed.
 *
 * <p>Heights are searched as if increasing along the topic; around a reorg (retractions walk
 * back) the start may be a few records early, never late.
 */
final class StartPosition {

    private static final Logger log = LoggerFactory.getLogger(StartPosition.class);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(30);

    private final Admin admin;
    private final String bootstrapServers;

    StartPosition(Admin admin, String bootstrapServers) {
        this.admin = admin;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Sets the first offsets of {@code group} on {@code topics} unless it has committed any.
     *
     * @return the offsets set, empty when the group already had offsets
     */
    Map<TopicPartition, Long> initialize(String group, List<String> topics, Long startHeight) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            if (committed.values().stream().anyMatch(o -> o != null)) {
                return Map.of();
            }
            Map<TopicPartition, Long> start = find(topics, startHeight);
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            // no metadata: Kafka Streams keeps its own in the committed offsets' metadata
            start.forEach((tp, offset) -> offsets.put(tp, new OffsetAndMetadata(offset)));
            admin.alterConsumerGroupOffsets(group, offsets).all().get();
            log.info("branch {} starts at {} (start height {})", group, start, startHeight);
            return start;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupNotEmptyException) {
                // another instance set the same start offsets and joined first: they stand
                log.info("branch {} was started by another instance; its start offsets stand", group);
                return Map.of();
            }
            throw new IllegalStateException("could not set the start offsets of branch " + group + " on " + topics
                    + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while setting the start offsets of branch " + group, e);
        }
    }

    private Map<TopicPartition, Long> find(List<String> topics, Long startHeight) {
        Map<TopicPartition, Long> start = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            for (String topic : topics) {
                for (PartitionInfo partition : consumer.partitionsFor(topic, PROBE_TIMEOUT)) {
                    TopicPartition tp = new TopicPartition(topic, partition.partition());
                    start.put(tp, startHeight == null ? end(consumer, tp) : firstAtOrAbove(consumer, tp, startHeight));
                }
            }
        }
        return start;
    }

    private static long end(KafkaConsumer<String, byte[]> consumer, TopicPartition tp) {
        return consumer.endOffsets(List.of(tp), PROBE_TIMEOUT).get(tp);
    }

    /** The offset of the first committed record with a height >= {@code height}, else the end. */
    static long firstAtOrAbove(KafkaConsumer<String, byte[]> consumer, TopicPartition tp, long height) {
        return HeightSearch.firstAtOrAbove(consumer, tp, height, StartPosition::height, PROBE_TIMEOUT);
    }

    private static long height(ConsumerRecord<String, byte[]> record) {
        try {
            return Long.parseLong(record.key());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("record " + record.topic() + "-" + record.partition() + "@"
                    + record.offset() + " has key \"" + record.key() + "\", not a block number", e);
        }
    }

    private KafkaConsumer<String, byte[]> consumer() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 64 * 1024);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "pessimism-start-position");
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }
}
