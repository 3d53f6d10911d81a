package io.pessimism.pipeline;

import io.pessimism.avro.Block;
import io.pessimism.config.KafkaConnection;
import io.pessimism.topology.BranchSource;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a branch starts reading its oracle topics the first time (DESIGN.md §6): when its consumer
 * group has no committed offset yet, each source partition's offset is set by binary search over
 * offsets ({@code read_committed}; the topic's end when it does not reach the point yet; every
 * source's end when there is no start height: new blocks only). A group with committed offsets is
 * left alone: a restarted branch resumes where it committed.
 *
 * <p>Each source gets its own start. The trigger source, and any source on the trigger's network,
 * starts at the first record of a block at or above the pipeline's {@code startHeight} (the block
 * number in the record key). A source on another network (an aggregator's) has other heights: it
 * starts at its first block whose block time is after the trigger's block {@code startHeight - 1},
 * so the first tuple holds exactly that source's blocks since the previous trigger (when the
 * trigger's topic does not hold {@code startHeight - 1}: at its first block at or after the time
 * of the trigger's block {@code startHeight}). Heights and block times are searched as if
 * increasing along the topic; around a reorg (retractions walk back) the start may be a few
 * records early, never late.
 */
final class StartPosition {

    private static final Logger log = LoggerFactory.getLogger(StartPosition.class);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(30);

    private final Admin admin;
    private final KafkaConnection kafka;

    StartPosition(Admin admin, KafkaConnection kafka) {
        this.admin = admin;
        this.kafka = kafka;
    }

    /**
     * Sets the first offsets of {@code group} on its {@code sources} (trigger first) unless it has
     * committed any.
     *
     * @return the offsets set, empty when the group already had offsets
     */
    Map<TopicPartition, Long> initialize(String group, List<BranchSource> sources, Long startHeight) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            if (committed.values().stream().anyMatch(o -> o != null)) {
                return Map.of();
            }
            Map<TopicPartition, Long> start = find(sources, startHeight);
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
            throw new IllegalStateException("could not set the start offsets of branch " + group + " on " + sources
                    + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while setting the start offsets of branch " + group, e);
        }
    }

    private Map<TopicPartition, Long> find(List<BranchSource> sources, Long startHeight) {
        BranchSource trigger = sources.get(0);
        Map<TopicPartition, Long> start = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            OptionalLong after = OptionalLong.empty(); // the trigger's block time other networks start after
            for (BranchSource source : sources) {
                for (TopicPartition tp : partitions(consumer, source)) {
                    long offset;
                    if (startHeight == null) {
                        offset = end(consumer, tp);
                    } else if (source.network().equals(trigger.network())) {
                        offset = firstAtOrAbove(consumer, tp, startHeight);
                    } else {
                        if (after.isEmpty()) {
                            after = OptionalLong.of(triggerTimeBefore(consumer, trigger, startHeight));
                        }
                        offset = firstAfterTime(consumer, tp, source, after.getAsLong());
                    }
                    start.put(tp, offset);
                }
            }
        }
        return start;
    }

    private static List<TopicPartition> partitions(KafkaConsumer<String, byte[]> consumer, BranchSource source) {
        String topic = source.topic().name();
        return consumer.partitionsFor(topic, PROBE_TIMEOUT).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
    }

    /**
     * The block time other networks start after: that of the trigger's block {@code startHeight - 1}
     * when its topic holds it, else one second before that of its block {@code startHeight}.
     */
    private static long triggerTimeBefore(KafkaConsumer<String, byte[]> consumer, BranchSource trigger,
            long startHeight) {
        for (TopicPartition tp : partitions(consumer, trigger)) {
            long before = firstAtOrAbove(consumer, tp, startHeight - 1);
            ConsumerRecord<String, byte[]> record = HeightSearch.recordAt(consumer, tp, before, PROBE_TIMEOUT);
            if (record != null) {
                long time = blockTime(trigger, record);
                return height(record) == startHeight - 1 ? time : time - 1;
            }
        }
        throw new IllegalStateException("the trigger topic " + trigger.topic().name() + " holds no block at or above "
                + (startHeight - 1) + " yet: the other sources' start cannot be placed by its block time");
    }

    /** The offset of the first committed record whose block time is after {@code time}, else the end. */
    private static long firstAfterTime(KafkaConsumer<String, byte[]> consumer, TopicPartition tp, BranchSource source,
            long time) {
        return HeightSearch.firstAtOrAbove(consumer, tp, time + 1, record -> blockTime(source, record), PROBE_TIMEOUT);
    }

    /** The block time of a source record: sources on another network than the trigger must carry one. */
    private static long blockTime(BranchSource source, ConsumerRecord<String, byte[]> record) {
        Object value = source.topic().valueSerde().deserializer().deserialize(record.topic(), record.value());
        if (value instanceof Block block) {
            return block.getTimestamp();
        }
        throw new IllegalStateException("record " + record.topic() + "-" + record.partition() + "@" + record.offset()
                + " carries no block time (" + (value == null ? "null" : value.getClass().getSimpleName())
                + "): a source on another network than the trigger's is placed by block time, so it must be blocks");
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
        Properties props = kafka.asProperties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 64 * 1024);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "pessimism-start-position");
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }
}
