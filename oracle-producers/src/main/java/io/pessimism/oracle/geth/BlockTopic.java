package io.pessimism.oracle.geth;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the oracle's topic with explicit configs, or checks that the existing one is one partition. */
final class BlockTopic {

    private static final Logger LOG = LoggerFactory.getLogger(BlockTopic.class);

    private BlockTopic() {
    }

    static void ensure(String bootstrapServers, String topic, BlockTopicSpec spec) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Optional<Short> replication = spec.replicationFactor() == -1 ? Optional.empty()
                    : Optional.of(spec.replicationFactor());
            try {
                admin.createTopics(List.of(new NewTopic(topic, Optional.of(1), replication).configs(spec.configs())))
                        .all().get(30, TimeUnit.SECONDS);
                LOG.info("created topic {} with {}", topic, spec.configs());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new KafkaException("could not create topic " + topic + ": " + e.getCause(), e.getCause());
                }
                TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                        .get(30, TimeUnit.SECONDS).get(topic);
                if (description.partitions().size() != 1) {
                    throw new IllegalStateException("topic " + topic + " has " + description.partitions().size()
                            + " partitions; the GethBlock oracle writes one ordered chain and needs exactly 1");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while creating topic " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException("could not check topic " + topic + ": " + e, e);
        }
    }
}
