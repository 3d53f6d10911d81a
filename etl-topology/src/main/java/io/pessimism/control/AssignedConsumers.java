package io.pessimism.control;

import io.pessimism.config.KafkaConnection;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * Settings of the control plane's group-less readers (assigned partitions, no committed offsets):
 * committed records only, since every control topic is written in transactions.
 */
final class AssignedConsumers {

    private AssignedConsumers() {
    }

    /** @param fetchMaxWaitMs how long the broker may hold an empty fetch: the reader's added latency */
    static Properties props(KafkaConnection kafka, String clientId, int fetchMaxWaitMs) {
        Properties props = kafka.asProperties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, fetchMaxWaitMs);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        return props;
    }
}
