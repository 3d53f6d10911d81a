package io.pessimism.topic;

import io.pessimism.config.KafkaConnection;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the topics a service uses, with their declared configs, when they do not exist yet. */
public final class TopicAdmin {

    private static final Logger log = LoggerFactory.getLogger(TopicAdmin.class);

    private TopicAdmin() {}

    /** Creates every missing topic; existing ones are left as they are. Fails naming the topic. */
    public static void ensure(Admin admin, short replicationFactor, Collection<? extends Topic<?, ?>> topics) {
        try {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = topics.stream()
                    .filter(t -> !existing.contains(t.name()))
                    .map(t -> t.newTopic(replicationFactor))
                    .toList();
            if (missing.isEmpty()) {
                return;
            }
            var results = admin.createTopics(missing).values();
            for (var entry : results.entrySet()) {
                try {
                    entry.getValue().get();
                    log.info("created topic {}", entry.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) { // another instance won the race
                        throw new IllegalStateException("could not create topic " + entry.getKey() + ": "
                                + e.getCause().getMessage(), e.getCause());
                    }
                }
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not list topics to create "
                    + topics.stream().map(Topic::name).collect(Collectors.joining(", ")) + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }

    public static void ensure(Admin admin, short replicationFactor, Topic<?, ?>... topics) {
        ensure(admin, replicationFactor, List.of(topics));
    }

    /**
     * Creates the topic when missing and, when it exists with fewer partitions than declared, adds
     * partitions up to the declared count (for a topic whose partitions stand for things that may
     * grow in number, such as the oracle leases; never for a keyed data topic, whose keys would
     * move). More partitions than declared are left as they are. Fails naming the topic.
     */
    public static void ensurePartitions(KafkaConnection kafka, short replicationFactor, Topic<?, ?> topic) {
        try (Admin admin = Admin.create(kafka.properties())) {
            ensure(admin, replicationFactor, List.of(topic));
            int existing = partitions(admin, topic);
            if (existing >= topic.partitions()) {
                return;
            }
            try {
                admin.createPartitions(Map.of(topic.name(), NewPartitions.increaseTo(topic.partitions()))).all().get();
                log.info("topic {}: partitions increased from {} to {}", topic.name(), existing, topic.partitions());
            } catch (ExecutionException e) {
                // another instance may have increased them at the same time: enough is enough
                if (!(e.getCause() instanceof InvalidPartitionsException) || partitions(admin, topic) < topic.partitions()) {
                    throw new IllegalStateException("could not increase the partitions of topic " + topic.name()
                            + " from " + existing + " to " + topic.partitions() + ": " + e.getCause().getMessage(),
                            e.getCause());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking the partitions of topic " + topic.name(), e);
        }
    }

    /** How many partitions the topic has; a topic created a moment ago may be unknown to a broker for a while. */
    private static int partitions(Admin admin, Topic<?, ?> topic) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                TopicDescription description = admin.describeTopics(List.of(topic.name())).allTopicNames().get()
                        .get(topic.name());
                return description.partitions().size();
            } catch (ExecutionException e) {
                boolean propagating = e.getCause()
                        instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
                if (!propagating || System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not describe topic " + topic.name() + ": "
                            + e.getCause().getMessage(), e.getCause());
                }
                Thread.sleep(100); // the creation's metadata reaches every broker within moments
            }
        }
    }

    /** The same, for a service that needs an admin client only for this. */
    public static void ensure(KafkaConnection kafka, short replicationFactor, Topic<?, ?>... topics) {
        try (Admin admin = Admin.create(kafka.properties())) {
            ensure(admin, replicationFactor, List.of(topics));
        }
    }
}
