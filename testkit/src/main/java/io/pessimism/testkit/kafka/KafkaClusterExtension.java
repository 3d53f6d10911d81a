package io.pessimism.testkit.kafka;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension owning one {@link KafkaCluster} per test class:
 * {@code @RegisterExtension static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleNode();}
 */
public final class KafkaClusterExtension implements BeforeAllCallback, AfterAllCallback {

    private final boolean threeBrokers;
    private KafkaCluster cluster;

    private KafkaClusterExtension(boolean threeBrokers) {
        this.threeBrokers = threeBrokers;
    }

    public static KafkaClusterExtension singleNode() {
        return new KafkaClusterExtension(false);
    }

    public static KafkaClusterExtension threeBrokers() {
        return new KafkaClusterExtension(true);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        cluster = threeBrokers ? KafkaCluster.threeBrokers() : KafkaCluster.singleNode();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
    }

    public KafkaCluster cluster() {
        if (cluster == null) {
            throw new IllegalStateException("the Kafka cluster is only available inside the test class's lifecycle");
        }
        return cluster;
    }

    public String bootstrapServers() {
        return cluster().bootstrapServers();
    }
}
