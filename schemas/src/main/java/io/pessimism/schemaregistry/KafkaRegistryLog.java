package io.pessimism.schemaregistry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded registry's log on Kafka: a compacted, one-partition topic named by the caller
 * (the app's {@code TopicNames.schemas()}: {@code <ns>._schemas}); this class never makes up a
 * name, and {@link EmbeddedSchemaRegistry.Builder#storeTopic} has checked it.
 *
 * <p>Each append is sent by an idempotent producer with {@code acks=all} and awaited, so an
 * acknowledged registration survives a restart. There is no fencing of a second writer: run one
 * embedded registry per namespace (dev and tests only).
 */
final class KafkaRegistryLog implements RegistryLog {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaRegistryLog.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String topic;
    private final Map<String, Object> clientConfig;
    private final KafkaProducer<String, String> producer;

    /**
     * Creates the topic when missing and opens the producer.
     *
     * @param clientConfig extra client settings (security etc.) applied to admin, producer and consumer
     */
    KafkaRegistryLog(String bootstrapServers, String topic, short replicationFactor, Map<String, Object> clientConfig) {
        this.topic = topic;
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replication factor of " + topic + " must be at least 1, was " + replicationFactor);
        }
        Map<String, Object> common = new HashMap<>(clientConfig);
        common.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        this.clientConfig = Map.copyOf(common);
        createTopicIfMissing(replicationFactor);

        Map<String, Object> producerConfig = new HashMap<>(this.clientConfig);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        producerConfig.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        producerConfig.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis() / 2);
        this.producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer());
    }

    String topic() {
        return topic;
    }

    @Override
    public List<RegistryLogEntry> readAll() {
        Map<String, Object> consumerConfig = new HashMap<>(clientConfig);
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        TopicPartition partition = new TopicPartition(topic, 0);
        List<RegistryLogEntry> entries = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition), TIMEOUT).get(partition);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (consumer.position(partition, TIMEOUT) < end) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("timed out reading " + topic + " up to offset " + end);
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    decode(record, entries);
                }
            }
        }
        LOG.info("read {} entries from {}", entries.size(), topic);
        return entries;
    }

    private void decode(ConsumerRecord<String, String> record, List<RegistryLogEntry> entries) {
        if (record.value() == null) {
            // We never write tombstones; one here was written by someone else and carries no state for us.
            LOG.warn("ignoring a tombstone at {}-0@{} (key {}): the embedded registry never writes them",
                    topic, record.offset(), record.key());
            return;
        }
        try {
            entries.add(RegistryLogCodec.decode(record.key(), record.value()));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("cannot rebuild the registry: record " + topic + "-0@" + record.offset()
                    + " is not a registry entry: " + e.getMessage(), e);
        }
    }

    @Override
    public void append(RegistryLogEntry entry) {
        ProducerRecord<String, String> record =
                new ProducerRecord<>(topic, 0, RegistryLogCodec.key(entry), RegistryLogCodec.value(entry));
        try {
            producer.send(record).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw storeError(entry, e);
        } catch (ExecutionException | TimeoutException e) {
            throw storeError(entry, e);
        }
    }

    private SchemaRegistryException storeError(RegistryLogEntry entry, Exception e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        return new SchemaRegistryException(500, SchemaRegistryException.STORE_ERROR,
                "Error while writing to the registry's store " + topic + ": " + cause, cause);
    }

    private void createTopicIfMissing(short replicationFactor) {
        try (Admin admin = Admin.create(clientConfig)) {
            NewTopic newTopic = new NewTopic(topic, 1, replicationFactor)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            try {
                admin.createTopics(Set.of(newTopic)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                LOG.info("created {} (compacted, 1 partition, replication factor {})", topic, replicationFactor);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("could not create " + topic + ": " + e.getCause(), e.getCause());
                }
                requireOnePartition(admin);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating " + topic, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("timed out creating " + topic + " (is Kafka reachable?)", e);
        }
    }

    private void requireOnePartition(Admin admin) throws InterruptedException, TimeoutException {
        try {
            TopicDescription description = admin.describeTopics(Set.of(topic)).allTopicNames()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic);
            if (description.partitions().size() != 1) {
                throw new IllegalStateException(topic + " has " + description.partitions().size()
                        + " partitions; the registry's log needs exactly one (total order of registrations)");
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not describe " + topic + ": " + e.getCause(), e.getCause());
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
