package io.pessimism.control;

import java.time.Duration;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls an assigned consumer on its own daemon thread, handing each batch to a handler, until
 * closed. The consumer is used only by that thread after {@link #start()} (except
 * {@code wakeup()}), and closed by it. A failure stops the loop and is logged with {@code what}.
 */
final class PartitionFollower<K, V> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PartitionFollower.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final KafkaConsumer<K, V> consumer;
    private final String what;
    private final Consumer<ConsumerRecords<K, V>> handler;
    private final Thread thread;
    private volatile boolean running = true;

    /** @param what names what stops when the loop fails, for the log ("the reconciler of …") */
    PartitionFollower(KafkaConsumer<K, V> consumer, String threadName, String what,
            Consumer<ConsumerRecords<K, V>> handler) {
        this.consumer = consumer;
        this.what = what;
        this.handler = handler;
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Whether the loop is alive. */
    boolean running() {
        return running && thread.isAlive();
    }

    private void run() {
        try {
            while (running) {
                handler.accept(consumer.poll(POLL));
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            log.error("{} stopped", what, e);
        } finally {
            running = false;
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(2)));
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
    }
}
