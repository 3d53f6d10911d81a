package io.pessimism.testkit.kafka;

import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real KRaft Kafka cluster inside the test JVM, built on Kafka's own {@code KafkaClusterTestKit}.
 *
 * <p>{@link #singleNode()} is one combined broker+controller (~1.3 s to start);
 * {@link #threeBrokers()} is three brokers with one isolated controller (combined mode with three
 * controllers is unstable on this platform). The topic auto-creation is off, as in production, so
 * every test creates what it uses.
 *
 * <p>The cluster is formatted like a production one: {@link MetadataVersion#latestProduction()}
 * with each feature at its default level for that version (the kit's own default is the testing
 * metadata version, which enables unreleased features).
 */
public final class KafkaCluster implements AutoCloseable {

    private final KafkaClusterTestKit kit;
    private final int brokers;

    private KafkaCluster(KafkaClusterTestKit kit, int brokers) {
        this.kit = kit;
        this.brokers = brokers;
    }

    /** One combined broker+controller node. */
    public static KafkaCluster singleNode() {
        return start(new TestKitNodes.Builder(productionBootstrap())
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .build(), 1);
    }

    /** Three brokers and one isolated controller, for replication-sensitive tests. */
    public static KafkaCluster threeBrokers() {
        return start(new TestKitNodes.Builder(productionBootstrap())
                .setCombined(false)
                .setNumBrokerNodes(3)
                .setNumControllerNodes(1)
                .build(), 3);
    }

    /** What {@code kafka-storage format} writes by default: the production version and its features. */
    static BootstrapMetadata productionBootstrap() {
        MetadataVersion version = MetadataVersion.latestProduction();
        Map<String, Short> features = new TreeMap<>();
        for (Feature feature : Feature.PRODUCTION_FEATURES) {
            features.put(feature.featureName(), feature.defaultLevel(version));
        }
        return BootstrapMetadata.fromVersions(version, features, "testkit production bootstrap");
    }

    private static KafkaCluster start(TestKitNodes nodes, int brokers) {
        String rf = Integer.toString(Math.min(brokers, 3));
        String minIsr = brokers >= 3 ? "2" : "1";
        try {
            KafkaClusterTestKit kit = new KafkaClusterTestKit.Builder(nodes)
                    // The kit leaves these at 3; a smaller cluster then never finds a coordinator.
                    .setConfigProp("offsets.topic.replication.factor", rf)
                    .setConfigProp("offsets.topic.num.partitions", "1")
                    .setConfigProp("transaction.state.log.replication.factor", rf)
                    .setConfigProp("transaction.state.log.min.isr", minIsr)
                    .setConfigProp("transaction.state.log.num.partitions", "1")
                    .setConfigProp("share.coordinator.state.topic.replication.factor", rf)
                    .setConfigProp("share.coordinator.state.topic.min.isr", minIsr)
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("auto.create.topics.enable", "false")
                    .setConfigProp("message.max.bytes", Integer.toString(16 * 1024 * 1024))
                    .build();
            kit.format();
            kit.startup();
            kit.waitForReadyBrokers();
            return new KafkaCluster(kit, brokers);
        } catch (Exception e) {
            throw new IllegalStateException("could not start the in-JVM KRaft cluster", e);
        }
    }

    public String bootstrapServers() {
        return kit.bootstrapServers();
    }

    public int brokerCount() {
        return brokers;
    }

    /** An admin client for this cluster; the caller closes it. */
    public Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return Admin.create(props);
    }

    /** Creates a topic and waits for it; an existing topic of that name is left as it is. */
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        short rf = (short) Math.min(brokers, 3);
        try (Admin admin = admin()) {
            admin.createTopics(Set.of(new NewTopic(name, partitions, rf).configs(configs))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("could not create topic " + name, e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + name, e);
        }
    }

    public void createTopic(String name) {
        createTopic(name, 1, Map.of());
    }

    @Override
    public void close() {
        try {
            kit.close();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop the in-JVM KRaft cluster", e);
        }
    }
}
