package io.pessimism.control;

import io.pessimism.avro.PipelineCommandReply;
import io.pessimism.config.KafkaConnection;
import io.pessimism.topic.Topic;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's one reader of {@code <ns>.pipeline-replies}: from the topic's end at start
 * (only replies to requests sent after it are awaited), completing the pending future of each
 * reply's request id. Replies to other instances' requests are skipped.
 */
final class ReplyListener implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReplyListener.class);

    private final KafkaConsumer<String, PipelineCommandReply> consumer;
    private final TopicPartition partition;
    private final Map<String, CompletableFuture<PipelineCommandReply>> pending = new ConcurrentHashMap<>();
    private final PartitionFollower<String, PipelineCommandReply> follower;
    private volatile boolean assigned;

    ReplyListener(KafkaConnection kafka, String clientId, Topic<String, PipelineCommandReply> replies) {
        Properties props = AssignedConsumers.props(kafka, clientId, 20);
        this.consumer = new KafkaConsumer<>(props, replies.keySerde().deserializer(), replies.valueSerde().deserializer());
        this.partition = new TopicPartition(replies.name(), 0);
        this.follower = new PartitionFollower<>(consumer, clientId,
                "the reply listener on " + partition + " (requests will time out)", this::complete);
    }

    /** Positions at the topic's end (synchronously, so later replies are seen), then listens. */
    void start() {
        consumer.assign(List.of(partition));
        consumer.seekToEnd(List.of(partition));
        long position = consumer.position(partition);
        assigned = true;
        log.info("listening for replies on {} from offset {}", partition, position);
        follower.start();
    }

    /** A future completed by the reply to {@code requestId}; register before sending the command. */
    CompletableFuture<PipelineCommandReply> expect(String requestId) {
        return pending.computeIfAbsent(requestId, id -> new CompletableFuture<>());
    }

    /** Stops waiting for a reply (after a timeout or a failed send). */
    void forget(String requestId) {
        pending.remove(requestId);
    }

    /** Whether the listener is positioned and its thread alive. */
    boolean ready() {
        return assigned && follower.running();
    }

    private void complete(ConsumerRecords<String, PipelineCommandReply> records) {
        for (ConsumerRecord<String, PipelineCommandReply> record : records) {
            CompletableFuture<PipelineCommandReply> waiting = record.key() == null ? null : pending.remove(record.key());
            if (waiting != null) {
                waiting.complete(record.value());
            }
        }
    }

    @Override
    public void close() {
        follower.close();
        pending.values().forEach(f -> f.completeExceptionally(new IllegalStateException("the service is closing")));
        pending.clear();
    }
}
