package io.pessimism.topic;

import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.serialization.Serde;

/**
 * A topic with everything needed to use and create it: its name, its key and value serdes, and the
 * partition count and configs it is created with. Processors and producers take a {@code Topic}
 * from {@link Topics} instead of spelling a name or building a serde themselves.
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, int partitions,
                          Map<String, String> configs) {

    public Topic {
        TopicNames.requireTopic(name);
        if (partitions < 1) {
            throw new IllegalArgumentException("topic " + name + ": partitions must be >= 1, was " + partitions);
        }
        configs = Map.copyOf(configs);
    }

    /** The admin request creating this topic with the given replication factor. */
    public NewTopic newTopic(short replicationFactor) {
        return new NewTopic(name, Optional.of(partitions), Optional.of(replicationFactor)).configs(configs);
    }

    @Override
    public String toString() {
        return name;
    }
}
