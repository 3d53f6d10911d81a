package io.pessimism.app.service;

import io.pessimism.config.GroupSession;
import io.pessimism.config.KafkaConnection;
import io.pessimism.network.Network;
import io.pessimism.oracle.OracleCatalog;
import io.pessimism.oracle.OracleId;
import io.pessimism.registry.Register;
import io.pessimism.topic.Topic;
import io.pessimism.topic.TopicAdmin;
import io.pessimism.topic.Topics;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, through Kafka, which process runs which oracle: every oracle process joins one consumer
 * group over {@code <ns>.oracle-leases}, whose partition {@link Topics#oracleLeasePartition} stands for
 * the oracle of one (network, register). The group coordinator gives each partition to exactly one
 * member; when a member leaves (at once) or dies (after the session timeout,
 * {@code oracles.lease-timeout}) its oracles move to another. The fixed transactional.id still fences a stale holder, so a lease
 * handed over early never lets two write. The topic gets as many partitions as the catalogue's highest register id needs (partitions
 * are added to an older, smaller one); a partition that stands for no catalogued oracle is held
 * harmlessly.
 */
final class OracleLeases implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OracleLeases.class);
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final Map<Integer, OracleId> byPartition;
    private final Consumer<OracleId> acquired;
    private final Consumer<OracleId> released;
    private final Thread poller;
    private volatile boolean running = true;

    /**
     * @param session how long a dead holder keeps its leases before another process takes its oracles
     *                over ({@code oracles.lease-timeout})
     */
    OracleLeases(KafkaConnection kafka, short replicationFactor, String groupId, GroupSession session, Topics topics,
                 OracleCatalog catalog, Consumer<OracleId> acquired, Consumer<OracleId> released) {
        this.byPartition = partitions(catalog);
        Topic<byte[], byte[]> leases = topics.oracleLeases(Topics.oracleLeasePartitions(highestId(catalog)));
        this.topic = leases.name();
        this.acquired = acquired;
        this.released = released;
        TopicAdmin.ensurePartitions(kafka, replicationFactor, leases);
        Properties p = kafka.asProperties();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.putAll(session.consumerProperties());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId + "-lease");
        this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.poller = new Thread(this::run, "pessimism-oracle-leases");
        poller.setDaemon(true);
    }

    /** The oracle each lease partition stands for: every catalogued register on every network. */
    static Map<Integer, OracleId> partitions(OracleCatalog catalog) {
        return catalog.ids(List.of(Network.values())).stream()
                .collect(Collectors.toUnmodifiableMap(
                        id -> Topics.oracleLeasePartition(id.network(), id.register()), Function.identity()));
    }

    private static int highestId(OracleCatalog catalog) {
        return catalog.registers().stream().mapToInt(Register::id).max().orElse(1);
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
                    partitions.forEach(tp -> oracle(tp).ifPresent(released));
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    partitions.forEach(tp -> oracle(tp).ifPresent(acquired));
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
            consumer.close(); // leaves the group: the oracles move to another process at once
        }
    }

    private Optional<OracleId> oracle(TopicPartition tp) {
        return Optional.ofNullable(byPartition.get(tp.partition()));
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
