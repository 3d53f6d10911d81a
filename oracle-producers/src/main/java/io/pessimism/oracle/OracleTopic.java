package io.pessimism.oracle;

import io.pessimism.config.KafkaConnection;
import io.pessimism.topic.Topic;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates an oracle's output topic with its declared configs, or checks that the existing one has one
 * partition (an oracle's output is one ordered log: it resumes from its tail, and retractions rely on
 * that order) and warns about each setting that differs from the declared one. Every oracle's session
 * calls it before its producer's {@code initTransactions}.
 */
public final class OracleTopic {

    private static final Logger LOG = LoggerFactory.getLogger(OracleTopic.class);
    private static final String ONE_PARTITION = "an oracle writes one ordered log and needs exactly 1";

    private OracleTopic() {
    }

    /** @return the settings of an existing topic that differ from the declared ones, each logged as a WARN */
    public static List<ConfigDifference> ensure(KafkaConnection kafka, Topic<?, ?> topic, short replicationFactor) {
        if (topic.partitions() != 1) {
            throw new IllegalArgumentException("topic " + topic.name() + " is declared with " + topic.partitions()
                    + " partitions; " + ONE_PARTITION);
        }
        try (Admin admin = Admin.create(kafka.properties())) {
            try {
                admin.createTopics(List.of(topic.newTopic(replicationFactor))).all().get(30, TimeUnit.SECONDS);
                LOG.info("created topic {} with {}", topic.name(), topic.configs());
                return List.of();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new KafkaException("could not create topic " + topic.name() + ": " + e.getCause(), e.getCause());
                }
                TopicDescription description = admin.describeTopics(List.of(topic.name())).allTopicNames()
                        .get(30, TimeUnit.SECONDS).get(topic.name());
                if (description.partitions().size() != 1) {
                    throw new IllegalStateException("topic " + topic.name() + " has " + description.partitions().size()
                            + " partitions; " + ONE_PARTITION);
                }
                List<ConfigDifference> differences = ConfigDifference.between(topic.name(), topic.configs(),
                        brokerConfigs(admin, topic.name()));
                differences.forEach(d -> LOG.warn("{}", d.message()));
                return differences;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while creating topic " + topic.name(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException("could not check topic " + topic.name() + ": " + e, e);
        }
    }

    private static Map<String, String> brokerConfigs(Admin admin, String topic)
            throws InterruptedException, ExecutionException, TimeoutException {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
        Map<String, String> values = new HashMap<>();
        for (ConfigEntry entry : config.entries()) {
            if (entry.value() != null) {
                values.put(entry.name(), entry.value());
            }
        }
        return values;
    }
}
