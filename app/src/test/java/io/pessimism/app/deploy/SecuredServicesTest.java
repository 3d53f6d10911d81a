package io.pessimism.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.pessimism.api.CreatePipelineRequest;
import io.pessimism.api.EtlService;
import io.pessimism.api.PipelineCreated;
import io.pessimism.api.PipelineView;
import io.pessimism.app.cli.EtlCommand;
import io.pessimism.app.service.OracleService;
import io.pessimism.app.service.ServiceContext;
import io.pessimism.avro.GethBlockOutput;
import io.pessimism.client.PessimismClient;
import io.pessimism.client.PipelineOutput;
import io.pessimism.config.ClientSecuritySettings;
import io.pessimism.config.KafkaConnection;
import io.pessimism.config.PessimismConfig;
import io.pessimism.config.Settings;
import io.pessimism.network.Network;
import io.pessimism.oracle.OracleId;
import io.pessimism.oracle.OracleStatus;
import io.pessimism.registry.Registry;
import io.pessimism.schemaregistry.EmbeddedSchemaRegistry;
import io.pessimism.schemaregistry.RestSchemaRegistryClient;
import io.pessimism.testkit.anvil.AnvilExtension;
import io.pessimism.testkit.chain.ChainDriver;
import io.pessimism.testkit.kafka.KafkaClusterExtension;
import io.pessimism.topic.TopicNames;
import io.pessimism.topic.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The services on a broker that wants a SASL login and authorizes every request (Kafka's
 * StandardAuthorizer, nothing allowed without an ACL), each logged in as the Helm chart's KafkaUser
 * with exactly that user's ACLs: the oracles and a pipeline work end to end. Then one ACL of each
 * user is taken away, and the service it belongs to fails naming the permission it missed: a
 * backtest branch without its transactional id goes to ERROR saying so (and completes once the
 * ACL is back and it is resumed); the oracles without Write on a network's topics fail saying so.
 *
 * <p>No password of the users shows in any log line, the Kafka clients' configuration dumps included.
 *
 * <p>The chart's users log in with SCRAM-SHA-512 on Strimzi; the test broker offers PLAIN, so the
 * mechanism and protocol are the test's, the user names and everything else the chart's.
 */
class SecuredServicesTest {

    private static final String ETL_USER = DeployFiles.RELEASE + "-etl";
    private static final String ORACLES_USER = DeployFiles.RELEASE + "-oracles";
    private static final Map<String, String> PASSWORDS = Map.of(ETL_USER, "etl-password-0123456",
            ORACLES_USER, "oracles-password-0123456");
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    /** A backtest's range is final once the head passes its end by the reorg window: a short one, and blocks beyond. */
    private static final int REORG_WINDOW = 4;
    private static final String TOKEN = "secured-test-token-0123456789";

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.saslPlain(PASSWORDS);

    @RegisterExtension
    static final AnvilExtension ANVIL = AnvilExtension.create();

    @TempDir
    Path stateDir;

    /** The logger of every Kafka client's configuration dump (WARN in tests): on for this test, to check them. */
    private static final List<String> CONFIG_LOGGERS = List.of("org.apache.kafka.common.config.AbstractConfig");

    private final List<AutoCloseable> started = new ArrayList<>();
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void recordLogs() {
        logged.start();
        root().addAppender(logged);
        for (String name : CONFIG_LOGGERS) {
            Logger dumps = (Logger) LoggerFactory.getLogger(name);
            dumps.setLevel(Level.INFO);
            dumps.setAdditive(false); // to the check only, not to the console (thousands of lines)
            dumps.addAppender(logged);
        }
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
        root().detachAppender(logged);
        for (String name : CONFIG_LOGGERS) {
            Logger dumps = (Logger) LoggerFactory.getLogger(name);
            dumps.detachAppender(logged);
            dumps.setAdditive(true);
            dumps.setLevel(null);
        }
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    @Test
    void withTheChartsAclsTheServicesWorkAndWithoutOneTheyFailNamingIt() throws Exception {
        List<JsonNode> chart = DeployFiles.renderChart(Map.of("strimzi.users", true, "strimzi.tls", false));
        Admin admin = KAFKA.cluster().admin();
        started.add(admin);
        Map<String, List<AclBinding>> acls = new LinkedHashMap<>();
        for (String user : List.of(ETL_USER, ORACLES_USER)) {
            acls.put(user, KafkaAcls.of(DeployFiles.named(chart, "KafkaUser", user)).bindings("User:" + user));
            admin.createAcls(acls.get(user)).all().get();
        }
        KafkaConnection superUser = new KafkaConnection(KAFKA.bootstrapServers(), KAFKA.cluster().adminSecurity());
        // the registry is not a pessimism service (production runs Confluent's): it logs in as the super user
        EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.builder().bootstrapServers(KAFKA.bootstrapServers())
                .kafkaConfig(superUser.security()).storeTopic(new TopicNames("secured-registry").schemas()).port(0)
                .replicationFactor(1).build().start();
        started.add(registry);

        PessimismConfig oraclesConfig = config(chart, "Deployment", ORACLES_USER, registry);
        assertThat(oraclesConfig.kafka().security()).as("the chart logs the oracles in as their KafkaUser")
                .containsEntry("sasl.mechanism", "PLAIN").containsKey("sasl.jaas.config");
        OracleService oracles = new OracleService(oraclesConfig, ServiceContext.of(oraclesConfig).topics()).start();
        started.add(oracles);
        EtlService etl = EtlCommand.start(ServiceContext.of(config(chart, "StatefulSet", ETL_USER, registry)));
        started.add(etl);
        PessimismClient client = PessimismClient.create(etl.apiUrl(), Optional.of(TOKEN));

        // works: a live pipeline from genesis delivers the node's blocks through the oracle and its branch
        ChainDriver chain = ChainDriver.connect(ANVIL.httpUrl());
        started.add(chain);
        chain.mine(2 * REORG_WINDOW);
        long head = chain.blockNumber();
        PipelineCreated live = client.createPipeline(new CreatePipelineRequest("layer1", "live", "geth_block", 0L,
                null, "ops", List.of()));
        Topics topics = new Topics(oraclesConfig.topicNames(), new RestSchemaRegistryClient(registry.url()), -1);
        try (PipelineOutput<GethBlockOutput> out = PipelineOutput.open(superUser, live.topic(),
                topics.valueSerde(GethBlockOutput.class).deserializer(), GethBlockOutput.class)) {
            List<Long> heights = new ArrayList<>();
            await("blocks 0.." + head + " on " + live.topic()).atMost(DEADLINE).until(() -> {
                out.poll(Duration.ofMillis(200)).forEach(r -> heights.add(r.getValue().getNumber()));
                return heights.contains(head);
            });
            assertThat(heights).startsWith(0L, 1L);
        }

        // fails clearly: the ETL without Write on the backtests' transactional ids
        AclBinding backtestWriters = only(acls.get(ETL_USER), ResourceType.TRANSACTIONAL_ID,
                oraclesConfig.namespace() + ".backtest.", AclOperation.WRITE);
        admin.deleteAcls(List.of(backtestWriters.toFilter())).all().get();
        PipelineCreated backtest = client.createPipeline(new CreatePipelineRequest("layer1", "backtest", "geth_block",
                0L, 1L, "ops", List.of()));
        PipelineView failed = await("the backtest branch in error").atMost(DEADLINE)
                .until(() -> client.showPipeline(backtest.puuid()), v -> "error".equals(v.state()));
        assertThat(failed.status().reason()).as("the reason names what was refused")
                .contains("TransactionalIdAuthorizationException");
        admin.createAcls(List.of(backtestWriters)).all().get();
        client.resumePipeline(backtest.puuid());
        await("the backtest done once its ACL is back").atMost(DEADLINE)
                .until(() -> client.showPipeline(backtest.puuid()).state(), "done"::equals);

        // fails clearly: the oracles without Write on layer2's topics
        oracles.close();
        AclBinding layer2Writes = only(acls.get(ORACLES_USER), ResourceType.TOPIC,
                oraclesConfig.namespace() + ".layer2.", AclOperation.WRITE);
        admin.deleteAcls(List.of(layer2Writes.toFilter())).all().get();
        OracleService denied = new OracleService(oraclesConfig, ServiceContext.of(oraclesConfig).topics()).start();
        started.add(denied);
        OracleId layer2Blocks = new OracleId(Network.LAYER2, Registry.standard().get("geth_block"));
        await("the layer2 block oracle running again").atMost(DEADLINE)
                .until(() -> denied.statuses().containsKey(layer2Blocks));
        chain.mine(1); // a block to write: reading and resuming need no Write
        Map<OracleId, OracleStatus> failedOracles = await("the layer2 block oracle failed").atMost(DEADLINE)
                .until(denied::failed, f -> f.containsKey(layer2Blocks));
        assertThat(failedOracles.get(layer2Blocks).lastError()).as("its error names the refusal and the topic")
                .hasValueSatisfying(e -> assertThat(e).contains("TopicAuthorizationException",
                        oraclesConfig.topicNames().registerTopic(Network.LAYER2, "geth_block")));
        assertThat(denied.failed()).as("layer1's oracles keep their ACLs and run")
                .doesNotContainKey(new OracleId(Network.LAYER1, Registry.standard().get("geth_block")));

        List<String> lines;
        synchronized (logged) {
            lines = logged.list.stream().map(e -> e.getFormattedMessage()
                    + (e.getThrowableProxy() == null ? "" : " " + e.getThrowableProxy().getMessage())).toList();
        }
        assertThat(lines).as("the clients' configurations, logged").anyMatch(l -> l.contains("sasl.jaas.config = [hidden]"));
        assertThat(lines).as("no password in any log line")
                .noneMatch(l -> PASSWORDS.values().stream().anyMatch(l::contains));
    }

    /** The chart's environment of a workload with this test's addresses and the test broker's SASL login. */
    private PessimismConfig config(List<JsonNode> chart, String kind, String user, EmbeddedSchemaRegistry registry) {
        JsonNode container = DeployFiles.named(chart, kind, user).path("spec").path("template").path("spec")
                .path("containers").get(0);
        Map<String, String> env = new LinkedHashMap<>(DeployFiles.containerEnvironment(container));
        assertThat(env).as(user + "'s login in the chart")
                .containsEntry(ClientSecuritySettings.SECURITY_PROTOCOL.envVar(), "SASL_PLAINTEXT")
                .containsEntry(ClientSecuritySettings.SASL_USERNAME.envVar(), user)
                .containsEntry(ClientSecuritySettings.SASL_PASSWORD.envVar(), DeployFiles.SECRET_PLACEHOLDER);
        env.put(Settings.KAFKA_BOOTSTRAP_SERVERS.envVar(), KAFKA.bootstrapServers());
        env.put(Settings.KAFKA_REPLICATION_FACTOR.envVar(), "1");
        env.put(ClientSecuritySettings.SASL_MECHANISM.envVar(), "PLAIN");
        env.put(ClientSecuritySettings.SASL_PASSWORD.envVar(), PASSWORDS.get(user));
        env.put(Settings.SCHEMA_REGISTRY_URL.envVar(), registry.url());
        for (Network network : Network.values()) {
            env.put(Settings.network(network).rpcUrl().envVar(), ANVIL.httpUrl());
            env.put(Settings.network(network).wsUrl().envVar(), ANVIL.wsUrl());
            env.put(Settings.network(network).pollInterval().envVar(), "100ms");
            env.put(Settings.network(network).reorgWindow().envVar(), Integer.toString(REORG_WINDOW));
        }
        if (env.containsKey(Settings.API_TOKEN.envVar())) {
            env.put(Settings.API_HOST.envVar(), "127.0.0.1");
            env.put(Settings.API_PORT.envVar(), "0");
            env.put(Settings.API_TOKEN.envVar(), TOKEN);
            env.put(Settings.STATE_DIR.envVar(), stateDir.resolve(user).toString());
        }
        return DeployFiles.load(env);
    }

    private static AclBinding only(List<AclBinding> bindings, ResourceType type, String name, AclOperation operation) {
        return bindings.stream().filter(b -> b.pattern().resourceType() == type && b.pattern().name().equals(name)
                        && b.entry().operation() == operation).findFirst()
                .orElseThrow(() -> new AssertionError("the chart grants no " + operation + " on " + type + " " + name));
    }
}
