package io.pessimism.testkit.kafka;

import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension owning one {@link KafkaCluster} per test class:
 * {@code @RegisterExtension static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleNode();}
 */
public final class KafkaClusterExtension implements BeforeAllCallback, AfterAllCallback {

    private final Supplier<KafkaCluster> starter;
    private KafkaCluster cluster;

    private KafkaClusterExtension(Supplier<KafkaCluster> starter) {
        this.starter = starter;
    }

    public static KafkaClusterExtension singleNode() {
        return new KafkaClusterExtension(KafkaCluster::singleNode);
    }

    public static KafkaClusterExtension threeBrokers() {
        return new KafkaClusterExtension(KafkaCluster::threeBrokers);
    }

    /** {@link KafkaCluster#saslPlain}: clients log in as one of these users (name → password), ACLs apply. */
    public static KafkaClusterExtension saslPlain(Map<String, String> users) {
        Map<String, String> copy = Map.copyOf(users);
        return new KafkaClusterExtension(() -> KafkaCluster.saslPlain(copy));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        cluster = starter.get();
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
