package io.pessimism.pipeline;

import java.time.Duration;
import java.util.List;
import java.util.function.ToLongFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Finds, by binary search over offsets, the first committed record of a partition at or above a
 * block height (DESIGN.md §3: a height is found in a topic by binary search over offsets). Heights
 * are searched as if they only grew along the partition; around a reorg (retractions walk back) the
 * answer may be a few records early, never late. The consumer must read {@code read_committed}, so
 * commit markers and aborted records are stepped over.
 */
public final class HeightSearch {

    private static final Duration POLL = Duration.ofMillis(200);

    private HeightSearch() {
    }

    /**
     * The offset of the first committed record whose height is at or above {@code height}, or the
     * partition's end when none is. Leaves the consumer assigned to {@code tp}.
     *
     * @param heightOf the block height a record stands for (its key, its envelope's cursor)
     * @param timeout  how long one probe may take, and each offset lookup
     */
    public static <K, V> long firstAtOrAbove(KafkaConsumer<K, V> consumer, TopicPartition tp, long height,
            ToLongFunction<ConsumerRecord<K, V>> heightOf, Duration timeout) {
        consumer.assign(List.of(tp));
        long lo = consumer.beginningOffsets(List.of(tp), timeout).get(tp);
        long end = consumer.endOffsets(List.of(tp), timeout).get(tp);
        long hi = end;
        while (lo < hi) {
            long mid = lo + (hi - lo) / 2;
            ConsumerRecord<K, V> record = firstFrom(consumer, tp, mid, hi, timeout);
            if (record == null || heightOf.applyAsLong(record) >= height) {
                hi = mid;
            } else {
                lo = record.offset() + 1;
            }
        }
        // lo may be a commit marker or an aborted record before it: name the record itself
        ConsumerRecord<K, V> first = firstFrom(consumer, tp, lo, end, timeout);
        return first == null ? end : first.offset();
    }

    /** The first committed record at or after {@code offset}, or null when there is none before the end. */
    public static <K, V> ConsumerRecord<K, V> recordAt(KafkaConsumer<K, V> consumer, TopicPartition tp, long offset,
            Duration timeout) {
        consumer.assign(List.of(tp));
        long end = consumer.endOffsets(List.of(tp), timeout).get(tp);
        return offset >= end ? null : firstFrom(consumer, tp, offset, end, timeout);
    }

    /** The first committed record at an offset in [from, limit), or null. */
    private static <K, V> ConsumerRecord<K, V> firstFrom(KafkaConsumer<K, V> consumer, TopicPartition tp, long from,
            long limit, Duration timeout) {
        consumer.seek(tp, from);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            var records = consumer.poll(POLL).records(tp);
            if (!records.isEmpty()) {
                ConsumerRecord<K, V> record = records.get(0);
                return record.offset() < limit ? record : null;
            }
            if (consumer.position(tp) >= limit) {
                return null;
            }
        }
        throw new IllegalStateException("no record read from " + tp + " at offset " + from + " within "
                + timeout.toSeconds() + " s");
    }
}
