package io.pessimism.control;

import io.pessimism.avro.PipelineCommandReply;
import io.pessimism.topic.Topic;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
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
    private final Thread thread;
    private volatile boolean assigned;
    private volatile boolean running = true;

    ReplyListener(String bootstrapServers, String clientId, Topic<String, PipelineCommandReply> replies) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        this.consumer = new KafkaConsumer<>(props, replies.keySerde().deserializer(), replies.valueSerde().deserializer());
        this.partition = new TopicPartition(replies.name(), 0);
        this.thread = new Thread(this::run, clientId);
        this.thread.setDaemon(true);
    }

    /** Positions at the topic's end (synchronously, so later replies are seen), then listens. */
    void start() {
        consumer.assign(List.of(partition));
        consumer.seekToEnd(List.of(partition));
        long position = consumer.position(partition);
        assigned = true;
        log.info("listening for replies on {} from offset {}", partition, position);
        thread.start();
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
        return assigned && running && thread.isAlive();
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, PipelineCommandReply> record : consumer.poll(Duration.ofMillis(500))) {
                    CompletableFuture<PipelineCommandReply> waiting = record.key() == null ? null
                            : pending.remove(record.key());
                    if (waiting != null) {
                        waiting.complete(record.value());
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            log.error("the reply listener on {} stopped; requests will time out", partition, e);
        } finally {
            running = false;
            consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(2)));
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pending.values().forEach(f -> f.completeExceptionally(new IllegalStateException("the service is closing")));
        pending.clear();
    }
}
