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
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.test.JaasUtils;
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
 * <p>{@link #saslPlain} is one node whose clients must log in (SASL/PLAIN) and whose authorizer allows
 * nothing an ACL does not: for tests of the services' ACLs. Its {@link #admin()} logs in as
 * {@link #SUPER_USER}.
 *
 * <p>The cluster is formatted like a production one: {@link MetadataVersion#latestProduction()}
 * with each feature at its default level for that version (the kit's own default is the testing
 * metadata version, which enables unreleased features).
 */
public final class KafkaCluster implements AutoCloseable {

    private static final String PLAIN_LOGIN = "org.apache.kafka.common.security.plain.PlainLoginModule";

    /** The super user of a {@link #saslPlain} cluster (the kit's own), allowed everything. */
    public static final String SUPER_USER = JaasUtils.KAFKA_PLAIN_ADMIN;
    private static final String SUPER_USER_PASSWORD = JaasUtils.KAFKA_PLAIN_ADMIN_PASSWORD;

    private final KafkaClusterTestKit kit;
    private final int brokers;
    private final Map<String, String> adminSecurity;

    private KafkaCluster(KafkaClusterTestKit kit, int brokers, Map<String, String> adminSecurity) {
        this.kit = kit;
        this.brokers = brokers;
        this.adminSecurity = Map.copyOf(adminSecurity);
    }

    /** One combined broker+controller node. */
    public static KafkaCluster singleNode() {
        return start(new TestKitNodes.Builder(productionBootstrap())
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .build(), 1);
    }

    /**
     * One combined node with a SASL_PLAINTEXT listener: these PLAIN users (name → password) and
     * {@link #SUPER_USER} may log in, and Kafka's {@code StandardAuthorizer} allows a user only what
     * an ACL grants it ({@code allow.everyone.if.no.acl.found=false}). Clients log in with
     * {@link #clientSecurity}.
     */
    public static KafkaCluster saslPlain(Map<String, String> users) {
        StringBuilder jaas = new StringBuilder(PLAIN_LOGIN).append(" required username=\"").append(SUPER_USER)
                .append("\" password=\"").append(SUPER_USER_PASSWORD).append("\" user_").append(SUPER_USER)
                .append("=\"").append(SUPER_USER_PASSWORD).append('"');
        users.forEach((user, password) -> jaas.append(" user_").append(user).append("=\"").append(password)
                .append('"'));
        jaas.append(';');
        TestKitNodes nodes = new TestKitNodes.Builder(productionBootstrap())
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .setBrokerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
                .setControllerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
                .build();
        // The kit's JAAS file knows only its own two users; the clients' listener gets a login of its own.
        String listener = nodes.brokerListenerName().value().toLowerCase(java.util.Locale.ROOT);
        return start(nodes, 1, Map.of("listener.name." + listener + ".plain.sasl.jaas.config", jaas.toString()),
                clientSecurity(SUPER_USER, SUPER_USER_PASSWORD));
    }

    /** What a client of a {@link #saslPlain} cluster adds to its properties to log in as {@code user}. */
    public static Map<String, String> clientSecurity(String user, String password) {
        return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN",
                "sasl.jaas.config", PLAIN_LOGIN + " required username=\"" + user + "\" password=\"" + password
                        + "\";");
    }

    /**
     * Three brokers and one isolated controller, for replication-sensitive tests: topics get 3
     * replicas and {@code min.insync.replicas=2}, so one broker may be lost ({@link #crashBroker}).
     * A broker that stops does so as a crash looks to the cluster (no controlled shutdown): its
     * partitions keep it as their leader until the controller fences it, {@value #BROKER_SESSION_MS} ms
     * after its last heartbeat. A transaction left open by a killed client is aborted within a second
     * of its timeout (the brokers look every second, not every 10 s).
     */
    public static KafkaCluster threeBrokers() {
        return start(new TestKitNodes.Builder(productionBootstrap())
                .setCombined(false)
                .setNumBrokerNodes(3)
                .setNumControllerNodes(1)
                .build(), 3, Map.of(
                        "min.insync.replicas", "2",
                        "controlled.shutdown.enable", "false",
                        "broker.session.timeout.ms", Integer.toString(BROKER_SESSION_MS),
                        "broker.heartbeat.interval.ms", Integer.toString(BROKER_SESSION_MS / 4),
                        "transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000"), Map.of());
    }

    /**
     * How long the controller of {@link #threeBrokers()} waits for a silent broker before fencing it:
     * below Kafka's 9 s so a crash is noticed sooner, not much lower because an overloaded machine's
     * controller misses heartbeats itself (seen at a load average of 40) and would fence live brokers.
     */
    public static final int BROKER_SESSION_MS = 6_000;

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
        return start(nodes, brokers, Map.of(), Map.of());
    }

    private static KafkaCluster start(TestKitNodes nodes, int brokers, Map<String, String> more,
            Map<String, String> adminSecurity) {
        String rf = Integer.toString(Math.min(brokers, 3));
        String minIsr = brokers >= 3 ? "2" : "1";
        try {
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
            more.forEach(builder::setConfigProp);
            KafkaClusterTestKit kit = builder
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
            return new KafkaCluster(kit, brokers, adminSecurity);
        } catch (Exception e) {
            throw new IllegalStateException("could not start the in-JVM KRaft cluster", e);
        }
    }

    public String bootstrapServers() {
        return kit.bootstrapServers();
    }

    /** The node ids of the brokers, running or not. */
    public Set<Integer> brokerIds() {
        return Set.copyOf(kit.brokers().keySet());
    }

    /**
     * Stops broker {@code nodeId} of a {@link #threeBrokers()} cluster the way a crash looks to the
     * others: no controlled shutdown, so its partitions move only once the controller fences it. Its
     * address stays in {@link #bootstrapServers()}, as a dead broker's stays in a client's list.
     */
    public void crashBroker(int nodeId) {
        var broker = kit.brokers().get(nodeId);
        if (broker == null) {
            throw new IllegalArgumentException("no broker " + nodeId + "; brokers are " + brokerIds());
        }
        if (broker.config().controlledShutdownEnable()) {
            throw new IllegalStateException("broker " + nodeId + " would shut down in a controlled way, not crash:"
                    + " only a threeBrokers() cluster runs with controlled.shutdown.enable=false");
        }
        broker.shutdown();
        broker.awaitShutdown();
    }

    public int brokerCount() {
        return brokers;
    }

    /** What a client adds to log in as the super user: empty unless the cluster is {@link #saslPlain}. */
    public Map<String, String> adminSecurity() {
        return adminSecurity;
    }

    /** An admin client for this cluster (of a {@link #saslPlain} one: its super user); the caller closes it. */
    public Admin admin() {
        Properties props = new Properties();
        props.putAll(adminSecurity);
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
