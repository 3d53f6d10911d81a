package io.pessimism.testkit.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * What every Kafka our tests run on must do, whatever hosts it: the in-JVM KRaft cluster
 * ({@link KraftRoundTripTest}) or a container ({@link TestcontainersRoundTripTest}).
 */
abstract class KafkaRoundTripContract {

    protected abstract String bootstrapServers();

    @Test
    void createsATopicWithItsConfigs() throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(Set.of(new NewTopic("contract.compacted", 3, (short) 1)
                    .configs(Map.of("cleanup.policy", "compact", "retention.ms", "3600000")))).all().get();
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "contract.compacted");
            // createTopics returns once the controller has committed the topic; the broker answering
            // describeConfigs may learn of it a moment later (UnknownTopicOrPartition until then)
            Config config = Awaitility.await("contract.compacted known to the broker answering describeConfigs")
                    .atMost(Duration.ofSeconds(10))
                    .ignoreExceptionsMatching(e -> e.getCause() instanceof UnknownTopicOrPartitionException)
                    .until(() -> admin.describeConfigs(Set.of(resource)).all().get().get(resource), Objects::nonNull);
            assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(config.get("retention.ms").value()).isEqualTo("3600000");
            assertThat(admin.describeTopics(Set.of("contract.compacted")).allTopicNames().get()
                    .get("contract.compacted").partitions()).hasSize(3);
        }
    }

    @Test
    void readCommittedSeesCommittedTransactionsOnly() throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(Set.of(new NewTopic("contract.tx", 1, (short) 1))).all().get();
        }
        try (var producer = KafkaClients.transactionalProducer(bootstrapServers(), "contract-tx")) {
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("contract.tx", "k1", "first"));
            producer.send(new ProducerRecord<>("contract.tx", "k2", "second"));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("contract.tx", "k3", "rolled-back")).get();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("contract.tx", "k4", "third"));
            producer.commitTransaction();
        }
        assertThat(KafkaClients.readValues(bootstrapServers(), "contract.tx", IsolationLevel.READ_COMMITTED))
                .containsExactly("first", "second", "third");
        assertThat(KafkaClients.readValues(bootstrapServers(), "contract.tx", IsolationLevel.READ_UNCOMMITTED))
                .containsExactly("first", "second", "rolled-back", "third");
    }

    private Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return Admin.create(props);
    }
}
