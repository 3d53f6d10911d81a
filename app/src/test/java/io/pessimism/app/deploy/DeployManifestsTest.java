package io.pessimism.app.deploy;

import static io.pessimism.app.deploy.DeployFiles.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.pessimism.app.Main;
import io.pessimism.config.ConfigException;
import io.pessimism.config.PessimismConfig;
import io.pessimism.config.Settings;
import io.pessimism.id.PUUID;
import io.pessimism.id.PipelinePID;
import io.pessimism.network.Network;
import io.pessimism.oracle.OracleCatalog;
import io.pessimism.oracle.OracleId;
import io.pessimism.oracle.OracleProducers;
import io.pessimism.oracle.balance.BalanceTopics;
import io.pessimism.pipeline.PipelineType;
import io.pessimism.registry.Register;
import io.pessimism.registry.Registry;
import io.pessimism.schemaregistry.RestSchemaRegistryClient;
import io.pessimism.topic.Topic;
import io.pessimism.topic.TopicNames;
import io.pessimism.topic.Topics;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The deployment files checked against the code, without Docker or Helm (neither exists here or in CI):
 * docker-compose.yml and the Dockerfile parsed, the Helm chart rendered with its default values by
 * {@link ChartRenderer}, Strimzi and Prometheus files parsed. Every environment variable must be a
 * declared setting's and the environment must load through the code's ConfigLoader; ports, topics
 * (names, partitions, configs), ACLs and probes are compared with what the code declares or computes.
 * Each check collects problems into a list, so the tests at the end can show it catching a wrong file.
 * The names and metrics only a running service shows are checked in {@link DeployRuntimeNamesTest}.
 */
class DeployManifestsTest {

    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Set<String> SERVICES = Set.of("etl", "oracles");

    // --- Dockerfile ---------------------------------------------------------------------------

    @Test
    void theImageBuildsTheJarAsTheRepoDoesAndRunsTheCliAsANonRootUser() {
        List<String> dockerfile = instructions(DeployFiles.read("Dockerfile"));
        List<String> stages = starting(dockerfile, "FROM ");
        assertThat(stages).as("a build stage and a runtime stage").hasSize(2);
        assertThat(stages.get(0)).contains("maven").contains("17").endsWith(" AS build");
        assertThat(stages.get(1)).as("a small JRE 17 runtime").contains("17-jre");

        assertThat(starting(dockerfile, "RUN ")).as("bin/pessimism's build: mvn package -pl app -am, no tests")
                .anyMatch(run -> run.contains("mvn ") && run.contains("package -pl app -am")
                        && run.contains("-DskipTests") && run.contains("-Dnpm.skip=true"));
        String jar = "app/target/" + shadedJarName() + ".jar";
        assertThat(starting(dockerfile, "COPY --from=build ")).singleElement().asString()
                .contains("/src/" + jar + " /opt/pessimism/pessimism.jar");

        String user = starting(dockerfile, "USER ").get(0).substring("USER ".length());
        assertThat(user.split(":")[0]).as("a numeric non-root user (Kubernetes runAsNonRoot checks it)")
                .matches("[1-9][0-9]*");
        assertThat(starting(dockerfile, "ENTRYPOINT ")).containsExactly("ENTRYPOINT [\"/usr/local/bin/pessimism\"]");
        assertThat(dockerfile).contains("COPY deploy/docker/pessimism /usr/local/bin/pessimism");
        for (String env : starting(dockerfile, "ENV ")) {
            String name = env.substring("ENV ".length()).split("=")[0];
            assertThat(DeployFiles.settingVariables()).as("ENV " + name).contains(name);
        }

        String launcher = DeployFiles.read("deploy/docker/pessimism");
        assertThat(launcher).as("exec: the JVM is PID 1 and gets SIGTERM").contains("exec java ")
                .contains("-Dorg.apache.avro.SERIALIZABLE_PACKAGES="
                        + System.getProperty("org.apache.avro.SERIALIZABLE_PACKAGES") + " ")
                .contains("-jar /opt/pessimism/pessimism.jar \"$@\"");
    }

    // --- docker-compose.yml -------------------------------------------------------------------

    @Test
    void composeRunsKraftKafkaTheConfluentRegistryTwoChainsAndBothServices() {
        JsonNode services = DeployFiles.yaml("docker-compose.yml").path("services");
        JsonNode kafka = services.path("kafka");
        assertThat(kafka.path("image").asText()).startsWith("apache/kafka:");
        Map<String, String> broker = DeployFiles.composeEnvironment(kafka);
        assertThat(broker).containsEntry("KAFKA_PROCESS_ROLES", "broker,controller")
                .as("one broker: the offsets and transaction-state topics cannot have more replicas (PLATFORM.md)")
                .containsEntry("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
                .containsEntry("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
                .containsEntry("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
                .containsEntry("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR", "1")
                .containsEntry("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
        Uuid.fromString(broker.get("CLUSTER_ID")); // KRaft's storage format needs a real cluster id

        JsonNode registry = services.path("schema-registry");
        assertThat(registry.path("image").asText()).startsWith("confluentinc/cp-schema-registry:");
        assertThat(DeployFiles.composeEnvironment(registry).get("SCHEMA_REGISTRY_LISTENERS"))
                .endsWith(":" + port(Settings.SCHEMA_REGISTRY_URL.declaredDefault()));

        Set<String> chainIds = new java.util.HashSet<>();
        for (Network network : Network.values()) {
            JsonNode anvil = services.path(anvilService(network));
            List<String> args = strings(anvil.path("command"));
            assertThat(strings(anvil.path("entrypoint"))).containsExactly("anvil");
            assertThat(args).as(network + " listens off loopback").containsSequence("--host", "0.0.0.0");
            String defaultPort = Integer.toString(port(Settings.network(network).rpcUrl().declaredDefault()));
            assertThat(args).as(network + " on its declared default port").containsSequence("--port", defaultPort);
            assertThat(strings(anvil.path("ports"))).contains(defaultPort + ":" + defaultPort);
            assertThat(args).contains("--block-time");
            chainIds.add(args.get(args.indexOf("--chain-id") + 1));
        }
        assertThat(chainIds).as("two chains, two chain ids").hasSize(Network.values().length);

        Set<String> commands = new CommandLine(new Main()).getSubcommands().keySet();
        for (String name : SERVICES) {
            JsonNode service = services.path(name);
            assertThat(service.path("build").asText()).as(name + " is built from this repo").isEqualTo(".");
            assertThat(strings(service.path("command"))).as(name).containsExactly(name);
            assertThat(commands).contains(name);
        }
        assertThat(services.path("etl").path("image").asText()).as("one image for both services")
                .isEqualTo(services.path("oracles").path("image").asText());
    }

    @Test
    void composeConfiguresTheServicesOnlyWithSettingsTheCodeReadsAndItsPortsMatchTheDefaults() {
        JsonNode compose = DeployFiles.yaml("docker-compose.yml");
        assertThat(composeProblems(compose)).isEmpty();
    }

    private static List<String> composeProblems(JsonNode compose) {
        List<String> problems = new ArrayList<>();
        JsonNode services = compose.path("services");
        List<String> advertised = List.of(DeployFiles.composeEnvironment(services.path("kafka"))
                .get("KAFKA_ADVERTISED_LISTENERS").split(","));
        for (String name : SERVICES) {
            JsonNode service = services.path(name);
            Map<String, String> env = DeployFiles.composeEnvironment(service);
            problems.addAll(unknownVariables("compose service " + name, env));
            PessimismConfig config;
            try {
                config = load(env);
            } catch (ConfigException e) {
                problems.add("compose service " + name + ": " + e.getMessage());
                continue;
            }
            for (String server : config.kafkaBootstrapServers().split(",")) {
                if (advertised.stream().noneMatch(l -> l.endsWith("://" + server))) {
                    problems.add(name + ": bootstrap server " + server + " is not a listener Kafka advertises " + advertised);
                }
                if (port("x://" + server) != port("x://" + Settings.KAFKA_BOOTSTRAP_SERVERS.declaredDefault())) {
                    problems.add(name + ": Kafka port of " + server + " is not the default's");
                }
            }
            URI registry = URI.create(config.schemaRegistryUrl());
            if (!services.has(registry.getHost()) || registry.getPort() != port(Settings.SCHEMA_REGISTRY_URL.declaredDefault())) {
                problems.add(name + ": schema.registry.url " + registry + " is not the registry service on its default port");
            }
            for (Network network : config.enabledNetworks()) {
                URI rpc = URI.create(config.network(network).rpcUrl());
                if (!rpc.getHost().equals(anvilService(network))
                        || rpc.getPort() != port(Settings.network(network).rpcUrl().declaredDefault())) {
                    problems.add(name + ": " + network + " rpc-url " + rpc + " is not " + anvilService(network)
                            + " on the declared default port");
                }
            }
            if (name.equals("oracles")) {
                int http = config.oraclesHttpPort();
                String check = String.join(" ", strings(service.path("healthcheck").path("test")));
                if (!check.contains("http://127.0.0.1:" + http + "/ready")) {
                    problems.add("oracles: the health check \"" + check + "\" does not ask /ready on oracles.http.port "
                            + http);
                }
                if (!"0.0.0.0".equals(config.oraclesHttpHost())) {
                    problems.add("oracles: oracles.http.host " + config.oraclesHttpHost()
                            + " is not reachable from the other containers");
                }
            }
            if (name.equals("etl")) {
                int api = config.api().port();
                if (api != Settings.API_PORT.declaredDefault()) {
                    problems.add("etl: api.port " + api + " is not the declared default " + Settings.API_PORT.declaredDefault());
                }
                if (!strings(service.path("ports")).contains(api + ":" + api)) {
                    problems.add("etl: the API port " + api + " is not published");
                }
                String check = String.join(" ", strings(service.path("healthcheck").path("test")));
                if (!check.contains("http://127.0.0.1:" + api + "/ready")) {
                    problems.add("etl: the health check \"" + check + "\" does not ask /ready on api.port " + api);
                }
            }
        }
        for (Map.Entry<String, JsonNode> service : iterable(services)) {
            for (Map.Entry<String, JsonNode> dependency : iterable(service.getValue().path("depends_on"))) {
                String condition = dependency.getValue().path("condition").asText();
                if (!condition.equals("service_healthy")) {
                    problems.add(service.getKey() + " waits for " + dependency.getKey() + " with " + condition);
                } else if (!services.path(dependency.getKey()).has("healthcheck")) {
                    problems.add(service.getKey() + " waits for " + dependency.getKey() + " to be healthy: it has no health check");
                }
            }
        }
        return problems;
    }

    // --- Helm chart ---------------------------------------------------------------------------

    @Test
    void theChartRunsAScalableEtlAndFailOverOraclesWithProbesGracefulShutdownAndResources() {
        List<JsonNode> docs = DeployFiles.renderChart(Map.of());
        JsonNode etl = DeployFiles.named(docs, "StatefulSet", DeployFiles.RELEASE + "-etl");
        JsonNode oracles = DeployFiles.named(docs, "Deployment", DeployFiles.RELEASE + "-oracles");
        assertThat(etl.path("spec").path("replicas").asInt()).as("ETL instances").isGreaterThanOrEqualTo(2);
        assertThat(oracles.path("spec").path("replicas").asInt()).as("oracle processes for lease fail-over")
                .isGreaterThanOrEqualTo(2);
        for (JsonNode workload : List.of(etl, oracles)) {
            JsonNode pod = workload.path("spec").path("template").path("spec");
            JsonNode container = pod.path("containers").get(0);
            String name = container.path("name").asText();
            assertThat(strings(container.path("args"))).as(name + " runs its CLI command").containsExactly(name);
            assertThat(pod.path("terminationGracePeriodSeconds").asInt())
                    .as(name + ": time for SIGTERM's clean close (lease group left, branches committed)")
                    .isGreaterThanOrEqualTo(30);
            assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
            assertThat(container.path("resources").path("requests").path("memory").asText()).isNotEmpty();
            assertThat(container.path("resources").path("limits").path("memory").asText()).isNotEmpty();
            assertThat(workload.path("spec").path("selector").path("matchLabels"))
                    .as(name + " selects its own pods").isEqualTo(((ObjectNode) workload.path("spec").path("template")
                            .path("metadata").path("labels").deepCopy()).without(List.of("app.kubernetes.io/name")));
        }
        JsonNode etlContainer = etl.path("spec").path("template").path("spec").path("containers").get(0);
        assertThat(load(DeployFiles.containerEnvironment(etlContainer)).get(Settings.PIPELINES_STANDBY_REPLICAS))
                .as("warm standby copies of each branch's state, on the other ETL instances")
                .isBetween(1, etl.path("spec").path("replicas").asInt() - 1);
        assertThat(probeProblems(docs)).isEmpty();
    }

    /**
     * Each service's probes: /health (liveness, startup) and /ready (readiness) on its HTTP port, the
     * ETL's API port ({@code api.port}) and the oracles' ({@code oracles.http.port}), as the chart sets them.
     */
    private static List<String> probeProblems(List<JsonNode> docs) {
        List<String> problems = new ArrayList<>();
        JsonNode etl = DeployFiles.named(docs, "StatefulSet", DeployFiles.RELEASE + "-etl");
        JsonNode container = etl.path("spec").path("template").path("spec").path("containers").get(0);
        Map<String, Integer> ports = probePorts(container, load(DeployFiles.containerEnvironment(container)).api().port(),
                "api.port", problems);
        JsonNode oracles = DeployFiles.named(docs, "Deployment", DeployFiles.RELEASE + "-oracles");
        JsonNode oraclesContainer = oracles.path("spec").path("template").path("spec").path("containers").get(0);
        probePorts(oraclesContainer, load(DeployFiles.containerEnvironment(oraclesContainer)).oraclesHttpPort(),
                "oracles.http.port", problems);
        JsonNode service = DeployFiles.named(docs, "Service", DeployFiles.RELEASE + "-etl");
        JsonNode servicePort = service.path("spec").path("ports").get(0);
        if (!ports.containsKey(servicePort.path("targetPort").asText())) {
            problems.add("the API Service targets port " + servicePort.path("targetPort") + ", which the ETL does not name");
        }
        return problems;
    }

    /** Checks {@code container}'s three probes ask their paths on {@code port}; returns its named ports. */
    private static Map<String, Integer> probePorts(JsonNode container, int port, String setting, List<String> problems) {
        String name = container.path("name").asText();
        Map<String, Integer> ports = new HashMap<>();
        container.path("ports").forEach(p -> ports.put(p.path("name").asText(), p.path("containerPort").asInt()));
        Map<String, String> expected = Map.of("startupProbe", "/health", "livenessProbe", "/health",
                "readinessProbe", "/ready");
        expected.forEach((probe, path) -> {
            JsonNode get = container.path(probe).path("httpGet");
            if (!get.path("path").asText().equals(path)) {
                problems.add(prefix(name) + probe + " asks " + get.path("path").asText() + ", not " + path);
            }
            Integer asked = ports.get(get.path("port").asText());
            if (asked == null || asked != port) {
                problems.add(prefix(name) + probe + " asks port " + get.path("port").asText() + " (" + asked + "), not "
                        + setting + " " + port);
            }
        });
        return ports;
    }

    /** The ETL's problems keep their unprefixed wording; the oracles' say whose they are. */
    private static String prefix(String container) {
        return container.equals("etl") ? "" : container + ": ";
    }

    @Test
    void theChartConfiguresBothServicesOnlyWithSettingsTheCodeReads() {
        assertThat(chartEnvironmentProblems(DeployFiles.renderChart(Map.of()))).isEmpty();
        assertThat(chartEnvironmentProblems(DeployFiles.renderChart(Map.of("strimzi.users", true))))
                .as("logging in as the KafkaUsers over TLS").isEmpty();
        assertThat(chartEnvironmentProblems(DeployFiles.renderChart(Map.of("strimzi.users", true, "strimzi.tls", false))))
                .as("logging in as the KafkaUsers without TLS").isEmpty();
        List<JsonNode> ephemeral = DeployFiles.renderChart(Map.of("etl.persistence.enabled", false));
        JsonNode pod = DeployFiles.named(ephemeral, "StatefulSet", DeployFiles.RELEASE + "-etl").path("spec");
        assertThat(pod.has("volumeClaimTemplates")).as("no persistence: no claim").isFalse();
        assertThat(pod.path("template").path("spec").path("volumes").get(0).has("emptyDir")).isTrue();
    }

    private static List<String> chartEnvironmentProblems(List<JsonNode> docs) {
        List<String> problems = new ArrayList<>();
        for (JsonNode workload : workloads(docs)) {
            JsonNode pod = workload.path("spec").path("template").path("spec");
            JsonNode container = pod.path("containers").get(0);
            String where = workload.path("kind").asText() + " " + workload.path("metadata").path("name").asText();
            Map<String, String> env;
            try {
                env = DeployFiles.containerEnvironment(container);
            } catch (AssertionError e) {
                problems.add(where + ": " + e.getMessage());
                continue;
            }
            problems.addAll(unknownVariables(where, env));
            try {
                PessimismConfig config = load(env);
                if (env.containsKey(Settings.STATE_DIR.envVar())) {
                    String dir = config.stateDir().toString();
                    boolean mounted = false;
                    for (JsonNode mount : container.path("volumeMounts")) {
                        mounted |= mount.path("mountPath").asText().equals(dir);
                    }
                    if (!mounted) {
                        problems.add(where + ": state.dir " + dir + " is not a mounted volume");
                    }
                }
            } catch (ConfigException e) {
                problems.add(where + ": " + e.getMessage());
            }
        }
        return problems;
    }

    // --- Strimzi ------------------------------------------------------------------------------

    @Test
    void strimziTopicsAreTheControlAndOracleTopicsAsTheCodeCreatesThem() {
        List<JsonNode> docs = DeployFiles.renderChart(Map.of());
        assertThat(topicProblems(docs)).isEmpty();
        assertThat(DeployFiles.ofKind(DeployFiles.renderChart(Map.of("strimzi.topics", false)), "KafkaTopic"))
                .as("strimzi.topics=false").isEmpty();
    }

    private static List<String> topicProblems(List<JsonNode> docs) {
        PessimismConfig config = chartConfig(docs);
        Map<String, Topic<?, ?>> expected = new TreeMap<>();
        for (Topic<?, ?> topic : expectedTopics(config)) {
            expected.put(topic.name(), topic);
        }
        List<String> problems = new ArrayList<>();
        String cluster = String.valueOf(((Map<?, ?>) DeployFiles.chartValues(Map.of()).get("strimzi")).get("cluster"));
        Set<String> seen = new java.util.TreeSet<>();
        for (JsonNode resource : DeployFiles.ofKind(docs, "KafkaTopic")) {
            String k8sName = resource.path("metadata").path("name").asText();
            JsonNode spec = resource.path("spec");
            String name = spec.path("topicName").asText();
            if (!DNS_SUBDOMAIN.matcher(k8sName).matches()) {
                problems.add("KafkaTopic " + k8sName + ": not a valid Kubernetes name");
            }
            if (!cluster.equals(resource.path("metadata").path("labels").path("strimzi.io/cluster").asText())) {
                problems.add("KafkaTopic " + k8sName + ": not labelled strimzi.io/cluster=" + cluster);
            }
            Topic<?, ?> topic = expected.get(name);
            if (topic == null) {
                problems.add("KafkaTopic " + k8sName + ": topic " + name + " is not one the code creates");
                continue;
            }
            seen.add(name);
            if (spec.path("partitions").asInt() != topic.partitions()) {
                problems.add(name + ": " + spec.path("partitions") + " partitions, the code creates " + topic.partitions());
            }
            if (spec.path("replicas").asInt() != config.kafkaReplicationFactor()) {
                problems.add(name + ": replicas " + spec.path("replicas") + ", kafka.replication.factor is "
                        + config.kafkaReplicationFactor());
            }
            Map<String, String> configs = new TreeMap<>();
            iterable(spec.path("config")).forEach(e -> configs.put(e.getKey(), e.getValue().asText()));
            if (!configs.equals(new TreeMap<>(topic.configs()))) {
                problems.add(name + ": config " + configs + ", the code creates it with " + new TreeMap<>(topic.configs()));
            }
        }
        if (!seen.equals(expected.keySet())) {
            problems.add("KafkaTopics " + seen + " are not the topics " + expected.keySet());
        }
        return problems;
    }

    /** The control and oracle topics the services create at start, as {@link Topics} declares them. */
    private static List<Topic<?, ?>> expectedTopics(PessimismConfig config) {
        Topics topics = topics(config);
        OracleCatalog catalog = OracleCatalog.standard();
        int highest = catalog.registers().stream().mapToInt(Register::id).max().orElseThrow();
        List<Topic<?, ?>> all = new ArrayList<>(List.of(topics.pipelineCommands(), topics.pipelineReplies(),
                topics.pipelines(), topics.pipelineStatus(), topics.state(), topics.oracleStatus(),
                topics.oracleLeases(Topics.oracleLeasePartitions(highest))));
        for (OracleId id : catalog.ids(List.of(Network.values()))) {
            all.add(topics.registerOutput(id.network(), id.register()));
        }
        return all;
    }

    @Test
    void strimziUsersAllowEveryTopicGroupAndTransactionalIdTheCodeUses() {
        List<JsonNode> docs = DeployFiles.renderChart(Map.of("strimzi.users", true));
        assertThat(aclProblems(docs)).isEmpty();
        assertThat(DeployFiles.ofKind(DeployFiles.renderChart(Map.of()), "KafkaUser"))
                .as("off by default").isEmpty();
    }

    private static List<String> aclProblems(List<JsonNode> docs) {
        PessimismConfig config = chartConfig(docs);
        Topics topics = topics(config);
        TopicNames names = topics.names();
        KafkaAcls etl = KafkaAcls.of(DeployFiles.named(docs, "KafkaUser", DeployFiles.RELEASE + "-etl"));
        KafkaAcls oracles = KafkaAcls.of(DeployFiles.named(docs, "KafkaUser", DeployFiles.RELEASE + "-oracles"));
        Set<String> readWrite = Set.of("Read", "Write", "Create", "Describe");
        List<String> problems = new ArrayList<>();

        // ETL: creates and uses the control topics, reads the oracles' topics and status
        for (Topic<?, ?> control : List.of(topics.pipelineCommands(), topics.pipelineReplies(), topics.pipelines(),
                topics.pipelineStatus(), topics.state())) {
            problems.addAll(etl.missing("topic", control.name(), readWrite));
        }
        problems.addAll(etl.missing("topic", names.oracleStatus(), Set.of("Read", "Create", "Describe")));
        String control = names.controlApplicationId();
        problems.addAll(etl.missing("group", control, Set.of("Read", "Describe")));
        problems.addAll(etl.missing("topic", control + "-commands-changelog", Set.of("Read", "Write", "Create", "Describe")));
        problems.addAll(etl.missing("transactionalId", control + "-" + UUID.randomUUID() + "-1", Set.of("Write", "Describe")));
        for (Network network : Network.values()) {
            problems.addAll(etl.missing("topic", topics.blocks(network).name(), Set.of("Read", "Create", "Describe")));
        }
        // ETL: every pipeline's branch, shared or not, creates, uses and deletes its topics and group
        Registry registry = Registry.standard();
        for (String prefix : pipelinePrefixes(registry, names)) {
            for (String topic : List.of(names.out(prefix), names.dlq(prefix), names.changelog(prefix, "interests"),
                    names.repartition(prefix, "by-address"))) {
                problems.addAll(etl.missing("topic", topic, Set.of("Read", "Write", "Create", "Delete", "Describe")));
            }
            problems.addAll(etl.missing("group", names.applicationId(prefix), Set.of("Read", "Delete", "Describe")));
            problems.addAll(etl.missing("transactionalId", names.applicationId(prefix) + "-" + UUID.randomUUID() + "-1",
                    Set.of("Write", "Describe")));
            for (OracleId source : OracleCatalog.standard().ids(List.of(Network.values()))) {
                problems.addAll(etl.missing("topic", topics.registerOutput(source.network(), source.register()).name(),
                        Set.of("Read")));
            }
        }

        // oracles: write their topics under their fixed transactional ids, read blocks and interests, hold leases
        for (OracleId id : OracleCatalog.standard().ids(List.of(Network.values()))) {
            String output = topics.registerOutput(id.network(), id.register()).name();
            problems.addAll(oracles.missing("topic", output, Set.of("Read", "Write", "Create", "Describe", "DescribeConfigs")));
            problems.addAll(oracles.missing("transactionalId", OracleProducers.transactionalId(output), Set.of("Write", "Describe")));
        }
        for (Network network : Network.values()) {
            problems.addAll(oracles.missing("group", BalanceTopics.of(topics, network).group(), Set.of("Read", "Describe")));
        }
        problems.addAll(oracles.missing("topic", names.state(), Set.of("Read", "Create", "Describe")));
        // oracles: fill the own sources of the backtests older than their topics, which they find on <ns>.pipelines
        problems.addAll(oracles.missing("topic", names.pipelines(), Set.of("Read", "Create", "Describe")));
        for (String prefix : pipelinePrefixes(registry, names)) {
            if (prefix.startsWith(names.namespace() + ".backtest.") && prefix.matches(".*\\.[0-9a-f]{32}")) {
                String source = names.source(prefix);
                problems.addAll(oracles.missing("topic", source, Set.of("Read", "Write", "Create", "Delete", "Describe",
                        "DescribeConfigs")));
                problems.addAll(oracles.missing("transactionalId", OracleProducers.transactionalId(source),
                        Set.of("Write", "Describe")));
            }
        }
        problems.addAll(oracles.missing("topic", names.oracleStatus(), Set.of("Write", "Create", "Describe")));
        problems.addAll(oracles.missing("topic", names.oracleLeases(), Set.of("Read", "Create", "Alter", "Describe")));
        // OracleService names its lease group inline: DeployRuntimeNamesTest also finds it on a running broker
        problems.addAll(oracles.missing("group", config.namespace() + ".oracles", Set.of("Read", "Describe")));
        return problems;
    }

    /** A shared and a private (UUID-suffixed) prefix of every register's pipeline, every network and type. */
    private static List<String> pipelinePrefixes(Registry registry, TopicNames names) {
        List<String> prefixes = new ArrayList<>();
        for (Register register : registry.all()) {
            for (Network network : Network.values()) {
                for (PipelineType type : PipelineType.values()) {
                    PipelinePID pid = PipelinePID.of(type, registry.resolve(register.name(), network));
                    prefixes.add(names.pipelinePrefix(pid));
                    prefixes.add(names.pipelinePrefix(PUUID.random(pid), false));
                }
            }
        }
        return prefixes;
    }

    // --- Prometheus ---------------------------------------------------------------------------

    @Test
    void prometheusScrapesTheEtlApiAndItsRulesMatchTheCodesNames() {
        assertThat(prometheusProblems(DeployFiles.yaml("deploy/prometheus/prometheus.yml"),
                DeployFiles.yaml("deploy/prometheus/alerts.yml"), DeployFiles.renderChart(Map.of()))).isEmpty();
    }

    private static List<String> prometheusProblems(JsonNode prometheus, JsonNode alerts, List<JsonNode> chart) {
        List<String> problems = new ArrayList<>();
        Map<String, JsonNode> jobs = new LinkedHashMap<>();
        prometheus.path("scrape_configs").forEach(j -> jobs.put(j.path("job_name").asText(), j));
        JsonNode etlJob = jobs.get("pessimism-etl");
        if (etlJob == null) {
            return List.of("no pessimism-etl scrape job");
        }
        if (!etlJob.path("metrics_path").asText().equals("/metrics")) {
            problems.add("pessimism-etl scrapes " + etlJob.path("metrics_path") + ", the API serves /metrics");
        }
        JsonNode service = DeployFiles.named(chart, "Service", DeployFiles.RELEASE + "-etl");
        Map<String, String> keep = keptLabels(etlJob);
        String servicePort = service.path("spec").path("ports").get(0).path("name").asText();
        if (!service.path("metadata").path("name").asText().matches(keep.getOrDefault("__meta_kubernetes_service_name", "^$"))) {
            problems.add("pessimism-etl keeps service " + keep.get("__meta_kubernetes_service_name") + ", the chart's is "
                    + service.path("metadata").path("name").asText());
        }
        if (!servicePort.matches(keep.getOrDefault("__meta_kubernetes_endpoint_port_name", "^$"))) {
            problems.add("pessimism-etl keeps port " + keep.get("__meta_kubernetes_endpoint_port_name")
                    + ", the chart's API port is named " + servicePort);
        }
        for (JsonNode file : prometheus.path("rule_files")) {
            if (!java.nio.file.Files.exists(DeployFiles.root().resolve("deploy/prometheus").resolve(file.asText()))) {
                problems.add("rule file " + file.asText() + " does not exist");
            }
        }

        TopicNames names = chartConfig(chart).topicNames();
        Registry registry = Registry.standard();
        List<String> prefixes = pipelinePrefixes(registry, names);
        for (JsonNode rule : alerts.path("groups").get(0).path("rules")) {
            String alert = rule.path("alert").asText();
            if (alert.isEmpty() || rule.path("annotations").path("summary").asText().isEmpty()) {
                problems.add("rule " + rule + " has no alert name or summary");
            }
            for (PromQl.Selector selector : PromQl.selectors(rule.path("expr").asText())) {
                if (DeployRuntimeNamesTest.KAFKA_EXPORTER_METRICS.contains(selector.metric())
                        && !jobs.containsKey("kafka-exporter")) {
                    problems.add(alert + ": " + selector.metric() + " comes from the Kafka Exporter, which is not scraped");
                }
                PromQl.Matcher topic = selector.labels().get("topic");
                if (topic != null && prefixes.stream().map(names::dlq).noneMatch(t -> t.matches(topic.value()))) {
                    problems.add(alert + ": topic=~" + topic.value() + " matches no DLQ topic of namespace " + names.namespace());
                }
                PromQl.Matcher group = selector.labels().get("consumergroup");
                if (group != null && prefixes.stream().map(names::applicationId).anyMatch(g -> !g.matches(group.value()))) {
                    problems.add(alert + ": consumergroup=~" + group.value() + " misses branch groups of namespace "
                            + names.namespace());
                }
                String pending = rule.path("annotations").path("pending").asText();
                if (!pending.isEmpty() && DeployRuntimeNamesTest.KAFKA_EXPORTER_METRICS.contains(selector.metric())) {
                    problems.add(alert + ": a Kafka Exporter metric is not pending");
                }
            }
            String pending = rule.path("annotations").path("pending").asText();
            if (!pending.isEmpty()) {
                // every metric of a pending rule is named, so a misspelt one cannot hide behind the mark
                PromQl.selectors(rule.path("expr").asText()).stream().map(PromQl.Selector::metric)
                        .filter(metric -> !pending.contains(metric))
                        .forEach(metric -> problems.add(alert + ": its pending annotation does not name " + metric));
            }
        }
        return problems;
    }

    private static Map<String, String> keptLabels(JsonNode job) {
        Map<String, String> keep = new HashMap<>();
        for (JsonNode relabel : job.path("relabel_configs")) {
            if (relabel.path("action").asText().equals("keep") && relabel.path("source_labels").size() == 1) {
                keep.put(relabel.path("source_labels").get(0).asText(), relabel.path("regex").asText());
            }
        }
        return keep;
    }

    // --- each check can fail --------------------------------------------------------------------

    @Test
    void theChecksCatchAWrongFile() {
        JsonNode compose = DeployFiles.yaml("docker-compose.yml").deepCopy();
        ObjectNode etlEnv = (ObjectNode) compose.path("services").path("etl").path("environment");
        etlEnv.put("PESSIMISM_API_PORTT", "8080");
        etlEnv.put("PESSIMISM_API_TOKEN", "short");
        assertThat(composeProblems(compose)).anyMatch(p -> p.contains("PESSIMISM_API_PORTT is not"))
                .anyMatch(p -> p.contains("api.token"));
        ((ObjectNode) compose.path("services").path("etl").path("depends_on").path("kafka"))
                .put("condition", "service_started");
        assertThat(composeProblems(compose)).anyMatch(p -> p.contains("etl waits for kafka with service_started"));

        List<JsonNode> chart = DeployFiles.renderChart(Map.of("strimzi.users", true));
        JsonNode commands = DeployFiles.named(chart, "KafkaTopic", DeployFiles.RELEASE + "-pipeline-commands");
        ((ObjectNode) commands.path("spec").path("config")).put("retention.ms", "86400000");
        ((ObjectNode) commands.path("spec")).put("partitions", 3);
        assertThat(topicProblems(chart)).hasSize(2).anyMatch(p -> p.contains("retention.ms=86400000"));
        JsonNode etlUser = DeployFiles.named(chart, "KafkaUser", DeployFiles.RELEASE + "-etl");
        ((ObjectNode) etlUser.path("spec").path("authorization").path("acls").get(0).path("resource"))
                .put("name", "pessimism.live-");
        assertThat(aclProblems(chart)).anyMatch(p -> p.startsWith("pessimism-etl may not Create topic pessimism.live."));

        JsonNode etl = DeployFiles.named(chart, "StatefulSet", DeployFiles.RELEASE + "-etl");
        JsonNode container = etl.path("spec").path("template").path("spec").path("containers").get(0);
        ((ObjectNode) container.path("readinessProbe").path("httpGet")).put("path", "/healthz");
        assertThat(probeProblems(chart)).containsExactly("readinessProbe asks /healthz, not /ready");
        ((ObjectNode) container.path("env").get(0)).set("name", TextNode.valueOf("PESSIMISM_NAMESPCE"));
        assertThat(chartEnvironmentProblems(chart)).anyMatch(p -> p.contains("PESSIMISM_NAMESPCE is not"));

        JsonNode alerts = DeployFiles.yaml("deploy/prometheus/alerts.yml").deepCopy();
        for (JsonNode rule : alerts.path("groups").get(0).path("rules")) {
            if (rule.path("alert").asText().equals("PessimismDlqGrowing")) {
                ((ObjectNode) rule).put("expr", "delta(kafka_topic_partition_current_offset{topic=~\"pessimism\\\\..+\\\\.dead\"}[5m]) > 0");
            }
        }
        assertThat(prometheusProblems(DeployFiles.yaml("deploy/prometheus/prometheus.yml"), alerts, chart))
                .anyMatch(p -> p.startsWith("PessimismDlqGrowing: topic=~"));
    }

    @Test
    void theRendererRefusesWhatHelmWouldRenderDifferently() {
        ChartRenderer renderer = new ChartRenderer(Map.of("a", Map.of("big", 604_800_000, "small", 3, "text", "x\"y")),
                Map.of("Name", "r"), Map.of("Name", "c"));
        assertThat(renderer.render("t", "n: {{ .Values.a.small }} q: {{ .Values.a.text | quote }} {{ .Release.Name }}"))
                .isEqualTo("n: 3 q: \"x\\\"y\" r");
        assertThat(renderer.render("t", "a:\n  {{- if .Values.a.small }}\n  b: 1\n  {{- else }}\n  c: 2\n  {{- end }}\n"))
                .isEqualTo("a:\n  b: 1\n");
        assertThatThrownBy(() -> renderer.render("t", "{{ .Values.a.big }}")).hasMessageContaining("1e+06");
        assertThatThrownBy(() -> renderer.render("t", "{{ .Values.a.missing }}")).hasMessageContaining("<no value>");
        assertThatThrownBy(() -> renderer.render("t", "x\n{{ include \"p.env\" . | nindent 2 }}"))
                .hasMessageContaining("t:2: unsupported template construct");
        assertThatThrownBy(() -> renderer.render("t", "{{- if .Values.a.small }}x")).hasMessageContaining("no {{ end }}");
    }

    // --- helpers --------------------------------------------------------------------------------

    private static List<String> unknownVariables(String where, Map<String, String> env) {
        Set<String> known = DeployFiles.settingVariables();
        return env.keySet().stream().filter(name -> !known.contains(name))
                .map(name -> where + ": " + name + " is not the environment variable of any declared setting")
                .toList();
    }

    /** The configuration the chart's ETL container gets. */
    static PessimismConfig chartConfig(List<JsonNode> docs) {
        JsonNode etl = DeployFiles.named(docs, "StatefulSet", DeployFiles.RELEASE + "-etl");
        return load(DeployFiles.containerEnvironment(etl.path("spec").path("template").path("spec").path("containers").get(0)));
    }

    static Topics topics(PessimismConfig config) {
        // no request is made: the topics' names and configs need no registry
        return new Topics(config.topicNames(), new RestSchemaRegistryClient(config.schemaRegistryUrl()),
                config.oracleTopicRetentionMs());
    }

    private static List<JsonNode> workloads(List<JsonNode> docs) {
        List<JsonNode> all = new ArrayList<>(DeployFiles.ofKind(docs, "StatefulSet"));
        all.addAll(DeployFiles.ofKind(docs, "Deployment"));
        return all;
    }

    private static String shadedJarName() {
        Matcher m = Pattern.compile("<finalName>([^<]+)</finalName>").matcher(DeployFiles.read("app/pom.xml"));
        assertThat(m.find()).as("app/pom.xml names the shaded jar").isTrue();
        return m.group(1);
    }

    private static int port(String url) {
        return URI.create(url).getPort();
    }

    private static String anvilService(Network network) {
        return network == Network.LAYER1 ? "anvil-l1" : "anvil-l2";
    }

    /** A Dockerfile's instructions, continuation lines joined, comments left out. */
    private static List<String> instructions(String dockerfile) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : dockerfile.lines().toList()) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.length() == 0)) {
                continue;
            }
            boolean continues = trimmed.endsWith("\\");
            current.append(continues ? trimmed.substring(0, trimmed.length() - 1) : trimmed).append(continues ? " " : "");
            if (!continues) {
                out.add(current.toString().replaceAll("\\s+", " ").strip());
                current.setLength(0);
            }
        }
        return out;
    }

    private static List<String> starting(List<String> instructions, String start) {
        return instructions.stream().filter(i -> i.startsWith(start)).toList();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode object) {
        return object::fields;
    }
}
