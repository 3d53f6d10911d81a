package io.pessimism.testkit.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.server.common.MetadataVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The three-broker variant: replication and transactions across brokers, production metadata. */
class KafkaClusterTest {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.threeBrokers();

    @Test
    void runsTheLatestProductionMetadataVersionOnThreeBrokers() throws Exception {
        try (Admin admin = KAFKA.cluster().admin()) {
            assertThat(admin.describeCluster().nodes().get()).hasSize(3);
            FinalizedVersionRange metadata = admin.describeFeatures().featureMetadata().get()
                    .finalizedFeatures().get(MetadataVersion.FEATURE_NAME);
            assertThat(metadata.maxVersionLevel()).isEqualTo(MetadataVersion.latestProduction().featureLevel());
        }
    }

    @Test
    void transactionalWritesToAThreeReplicaTopicAreReadCommitted() throws Exception {
        String topic = "kit.three-brokers";
        KAFKA.cluster().createTopic(topic, 2, Map.of("min.insync.replicas", "2"));
        try (Admin admin = KAFKA.cluster().admin()) {
            TopicDescription description = admin.describeTopics(Set.of(topic)).allTopicNames().get().get(topic);
            assertThat(description.partitions())
                    .hasSize(2)
                    .allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
        }
        try (var producer = KafkaClients.transactionalProducer(KAFKA.bootstrapServers(), "kit-three-committed")) {
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, 0, "a", "committed-0"));
            producer.send(new ProducerRecord<>(topic, 1, "b", "committed-1"));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, 0, "c", "aborted")).get();
            producer.abortTransaction();
        }
        assertThat(KafkaClients.readValues(KAFKA.bootstrapServers(), topic, IsolationLevel.READ_COMMITTED))
                .containsExactlyInAnyOrder("committed-0", "committed-1");
        assertThat(KafkaClients.readValues(KAFKA.bootstrapServers(), topic, IsolationLevel.READ_UNCOMMITTED))
                .containsExactlyInAnyOrderElementsOf(List.of("committed-0", "committed-1", "aborted"));
    }
}
