package io.pessimism.app.service;

import io.pessimism.network.Network;
import io.pessimism.topic.Topic;
import io.pessimism.topic.TopicAdmin;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, through Kafka, which process runs which network's oracle: every oracle process joins one
 * consumer group over {@code <ns>.oracle-leases}, whose partition {@code i} stands for the network
 * with id {@code i+1}. The group coordinator gives each partition to exactly one member; when a
 * member leaves or dies (after the session timeout) its networks move to another. The fixed
 * transactional.id still fences a stale holder, so a lease handed over early never lets two write.
 */
final class OracleLeases implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OracleLeases.class);
    /** How long a dead holder keeps its lease before another process takes the network over. */
    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(10);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final Consumer<Network> acquired;
    private final Consumer<Network> released;
    private final Thread poller;
    private volatile boolean running = true;

    OracleLeases(String bootstrapServers, short replicationFactor, String groupId, Topic<byte[], byte[]> leases,
                 Consumer<Network> acquired, Consumer<Network> released) {
        this.topic = leases.name();
        this.acquired = acquired;
        this.released = released;
        TopicAdmin.ensure(bootstrapServers, replicationFactor, leases);
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Long.toString(SESSION_TIMEOUT.toMillis()));
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Long.toString(SESSION_TIMEOUT.toMillis() / 4));
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId + "-lease");
        this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.poller = new Thread(this::run, "pessimism-oracle-leases");
        poller.setDaemon(true);
    }

    OracleLeases start() {
        poller.start();
        return this;
    }

    private void run() {
        try {
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    partitions.forEach(tp -> released.accept(network(tp)));
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    partitions.forEach(tp -> acquired.accept(network(tp)));
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    onPartitionsRevoked(partitions);
                }
            });
            while (running) {
                consumer.poll(Duration.ofMillis(500)); // nothing is written; polling keeps the lease
            }
        } catch (WakeupException e) {
            // close() asked us to stop
        } catch (RuntimeException e) {
            log.error("oracle leases on {} failed; this process gives up its oracles: {}", topic, e.toString());
        } finally {
            consumer.close(); // leaves the group: the networks move to another process at once
        }
    }

    private static Network network(TopicPartition tp) {
        return Network.fromId((byte) (tp.partition() + 1));
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            poller.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
