package io.pessimism.oracle.support;

import static org.awaitility.Awaitility.await;

import io.pessimism.avro.Block;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a one-partition topic from the start to its end, read_committed, as a risk engine would. */
public final class TopicReader {

    /**
     * One record as the test sees it. The offset shows transaction boundaries: within one
     * transaction a single producer's records are consecutive, and each commit marker takes an offset.
     */
    public record Entry(String key, Block block, long timestamp, long offset) {
    }

    /** A read that has not reached the end by then fails instead of hanging the build. */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private TopicReader() {
    }

    /**
     * Everything on the topic once its writers have stopped: waits until every transaction on it
     * is decided (its last stable offset has reached its end), then reads. {@code commitTransaction}
     * returns before the commit markers are written, so a read at once can stop short of the last
     * transaction.
     */
    public static List<Entry> readSettled(String bootstrap, String topic, Deserializer<Block> deserializer) {
        TopicPartition partition = new TopicPartition(topic, 0);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            await("the commit markers of the last transaction on " + topic).atMost(Duration.ofSeconds(15))
                    .until(() -> end(admin, partition, IsolationLevel.READ_COMMITTED)
                            == end(admin, partition, IsolationLevel.READ_UNCOMMITTED));
        }
        return readAll(bootstrap, topic, deserializer);
    }

    private static long end(Admin admin, TopicPartition partition, IsolationLevel isolation)
            throws ExecutionException, InterruptedException {
        return admin.listOffsets(Map.of(partition, OffsetSpec.latest()), new ListOffsetsOptions(isolation))
                .partitionResult(partition).get().offset();
    }

    /** Everything up to the last stable offset now: a transaction not yet decided is left out. */
    public static List<Entry> readAll(String bootstrap, String topic, Deserializer<Block> deserializer) {
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, Block> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024),
                new StringDeserializer(), deserializer)) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            List<Entry> entries = new ArrayList<>();
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (consumer.position(partition) < end) {
                failAfter(deadline, topic, end, entries.size());
                for (ConsumerRecord<String, Block> record : consumer.poll(Duration.ofMillis(200))) {
                    entries.add(new Entry(record.key(), record.value(), record.timestamp(), record.offset()));
                }
            }
            return entries;
        }
    }

    /**
     * How many records {@code isolation} shows up to its end now: {@code read_uncommitted} counts the
     * records of aborted transactions too (never their commit markers).
     */
    public static int count(String bootstrap, String topic, String isolation) {
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            int count = 0;
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (consumer.position(partition) < end) {
                failAfter(deadline, topic, end, count);
                count += consumer.poll(Duration.ofMillis(200)).count();
            }
            return count;
        }
    }

    private static void failAfter(long deadline, String topic, long end, int read) {
        if (System.nanoTime() > deadline) {
            throw new AssertionError("could not read " + topic + " to offset " + end + " within " + READ_TIMEOUT
                    + " (" + read + " records read)");
        }
    }
}
