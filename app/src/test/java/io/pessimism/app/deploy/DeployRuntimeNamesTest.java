package io.pessimism.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pessimism.api.CreatePipelineRequest;
import io.pessimism.api.EtlService;
import io.pessimism.app.cli.EtlCommand;
import io.pessimism.app.service.OracleMetrics;
import io.pessimism.app.service.OracleService;
import io.pessimism.app.service.ServiceContext;
import io.pessimism.client.PessimismClient;
import io.pessimism.config.PessimismConfig;
import io.pessimism.config.Settings;
import io.pessimism.network.Network;
import io.pessimism.oracle.OracleProducers;
import io.pessimism.schemaregistry.EmbeddedSchemaRegistry;
import io.pessimism.testkit.anvil.AnvilExtension;
import io.pessimism.testkit.kafka.KafkaClusterExtension;
import io.pessimism.topic.TopicNames;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.TransactionListing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployment files against running services: the oracles and an ETL service, configured with the
 * Helm chart's environment (only the addresses replaced by the test's broker, registry and anvil), on a
 * real KRaft broker. Every topic, consumer group and transactional id they create must be allowed by
 * the chart's KafkaUsers; the probes' endpoints answer without the API token; and every metric of the
 * alert rules is served on the ETL's /metrics, unless the rule marks it pending, in which case it must
 * not be (so the mark goes once the metric exists).
 */
class DeployRuntimeNamesTest {

    /** Metrics of Strimzi's Kafka Exporter, which no pessimism service serves. */
    static final Set<String> KAFKA_EXPORTER_METRICS = Set.of("kafka_consumergroup_lag", "kafka_topic_partition_current_offset");

    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final String TOKEN = "deploy-test-token-0123456789";
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s.*");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"(?:[^\"\\\\]|\\\\.)*\"");

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleNode();

    @RegisterExtension
    static final AnvilExtension ANVIL = AnvilExtension.create();

    @TempDir
    Path stateDir;

    private final List<AutoCloseable> started = new ArrayList<>();

    @AfterEach
    void stop() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                throw new IllegalStateException("closing " + started.get(i) + " failed", e);
            }
        }
    }

    @Test
    void theServicesUseOnlyNamesTheirUsersMayUseAndServeTheProbesAndMetricsTheFilesName() throws Exception {
        List<JsonNode> chart = DeployFiles.renderChart(Map.of("strimzi.users", true));
        KafkaAcls etlUser = KafkaAcls.of(DeployFiles.named(chart, "KafkaUser", DeployFiles.RELEASE + "-etl"));
        KafkaAcls oraclesUser = KafkaAcls.of(DeployFiles.named(chart, "KafkaUser", DeployFiles.RELEASE + "-oracles"));
        EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.builder().bootstrapServers(KAFKA.bootstrapServers())
                .storeTopic(new TopicNames("deploy-test-registry").schemas()).port(0).replicationFactor(1).build().start();
        started.add(registry);

        PessimismConfig oracles = config(chart, "Deployment", DeployFiles.RELEASE + "-oracles", registry);
        TopicNames names = oracles.topicNames();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()))) {
            OracleService oracleService = new OracleService(oracles, ServiceContext.of(oracles).topics()).start();
            started.add(oracleService);
            // the meters `pessimism oracles` serves on its /metrics
            PrometheusMeterRegistry oracleMetrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            OracleMetrics.bind(oracleMetrics, oracleService, n -> oracles.network(n).rpcUrl());
            Set<String> blockWriters = new TreeSet<>();
            for (Network network : oracles.enabledNetworks()) {
                blockWriters.add(OracleProducers.transactionalId(names.registerTopic(network, "geth_block")));
            }
            await("the block oracles' transactional ids and the lease group").atMost(DEADLINE)
                    .until(() -> snapshot(admin, names), s -> s.transactionalIds().containsAll(blockWriters)
                            && s.groups().contains(names.namespace() + ".oracles"));
            Names byOracles = snapshot(admin, names);
            assertThat(byOracles.problems(oraclesUser)).as("what the oracles created and used").isEmpty();

            PessimismConfig etlConfig = config(chart, "StatefulSet", DeployFiles.RELEASE + "-etl", registry);
            EtlService etl = EtlCommand.start(ServiceContext.of(etlConfig));
            started.add(etl);
            PessimismClient client = PessimismClient.create(etl.apiUrl(), Optional.of(TOKEN));
            List<String> prefixes = new ArrayList<>();
            for (CreatePipelineRequest request : List.of(
                    new CreatePipelineRequest("layer1", "live", "geth_block", null, null, "ops", List.of()),
                    new CreatePipelineRequest("layer1", "live", "account_balance", null, null, "ops",
                            List.of(new CreatePipelineRequest.Interest("0x00000000000000000000000000000000000000d1", List.of()))),
                    new CreatePipelineRequest("layer2", "backtest", "geth_block", 0L, 1L, "ops", List.of()))) {
                String topic = client.createPipeline(request).topic();
                prefixes.add(topic.substring(0, topic.length() - ".out".length()));
            }
            await("every pipeline's branch group and exactly-once producer").atMost(DEADLINE)
                    .until(() -> snapshot(admin, names), s -> prefixes.stream().allMatch(p -> s.groups().contains(p)
                            && s.transactionalIds().stream().anyMatch(t -> t.startsWith(p + "-"))));
            Names all = snapshot(admin, names);
            Names byEtl = all.minus(byOracles);
            assertThat(byEtl.under(prefixes).problems(etlUser)).as("what the ETL's branches created and used").isEmpty();
            assertThat(byEtl.problems(etlUser, oraclesUser)).as("everything created once the ETL ran").isEmpty();

            probesAnswerWithoutTheToken(chart, etl.apiUrl());
            Map<String, Set<String>> served = new HashMap<>(scrape(etl.apiUrl()));
            served.putAll(samples(oracleMetrics.scrape()));
            assertThat(ruleProblems(DeployFiles.yaml("deploy/prometheus/alerts.yml"), served))
                    .as("the alert rules' metrics against the ETL's and the oracles' /metrics").isEmpty();
        }
    }

    /** The chart's environment of a workload, the addresses replaced by this test's. */
    private PessimismConfig config(List<JsonNode> chart, String kind, String name, EmbeddedSchemaRegistry registry) {
        JsonNode container = DeployFiles.named(chart, kind, name).path("spec").path("template").path("spec")
                .path("containers").get(0);
        Map<String, String> env = new LinkedHashMap<>(DeployFiles.containerEnvironment(container));
        env.put(Settings.KAFKA_BOOTSTRAP_SERVERS.envVar(), KAFKA.bootstrapServers());
        env.put(Settings.KAFKA_REPLICATION_FACTOR.envVar(), "1");
        env.put(Settings.SCHEMA_REGISTRY_URL.envVar(), registry.url());
        for (Network network : Network.values()) {
            env.put(Settings.network(network).rpcUrl().envVar(), ANVIL.httpUrl());
            env.put(Settings.network(network).wsUrl().envVar(), ANVIL.wsUrl());
            env.put(Settings.network(network).pollInterval().envVar(), "100ms");
        }
        if (env.containsKey(Settings.API_TOKEN.envVar())) {
            env.put(Settings.API_HOST.envVar(), "127.0.0.1");
            env.put(Settings.API_PORT.envVar(), "0");
            env.put(Settings.API_TOKEN.envVar(), TOKEN);
            env.put(Settings.STATE_DIR.envVar(), stateDir.resolve(name).toString());
        }
        return DeployFiles.load(env);
    }

    /** Topics, groups and transactional ids of one namespace on the broker. */
    private record Names(Set<String> topics, Set<String> groups, Set<String> transactionalIds) {

        Names minus(Names before) {
            return new Names(without(topics, before.topics), without(groups, before.groups),
                    without(transactionalIds, before.transactionalIds));
        }

        Names under(List<String> prefixes) {
            return new Names(only(topics, prefixes), only(groups, prefixes), only(transactionalIds, prefixes));
        }

        /** What none of {@code users} may do: create a topic, read as a group, write as a transactional id. */
        List<String> problems(KafkaAcls... users) {
            List<String> problems = new ArrayList<>();
            check(problems, "topic", topics, "Create", users);
            check(problems, "group", groups, "Read", users);
            check(problems, "transactionalId", transactionalIds, "Write", users);
            return problems;
        }

        private static void check(List<String> problems, String type, Set<String> names, String operation,
                KafkaAcls... users) {
            for (String name : names) {
                if (java.util.Arrays.stream(users).noneMatch(u -> u.allows(type, name, operation))) {
                    problems.add("no user may " + operation + " " + type + " " + name);
                }
            }
        }

        private static Set<String> without(Set<String> all, Set<String> before) {
            Set<String> out = new TreeSet<>(all);
            out.removeAll(before);
            return out;
        }

        private static Set<String> only(Set<String> all, List<String> prefixes) {
            Set<String> out = new TreeSet<>();
            all.stream().filter(n -> prefixes.stream().anyMatch(n::startsWith)).forEach(out::add);
            return out;
        }
    }

    private static Names snapshot(Admin admin, TopicNames names) throws ExecutionException, InterruptedException {
        String ns = names.namespace() + ".";
        String oracle = OracleProducers.transactionalId(ns);
        Set<String> topics = new TreeSet<>();
        admin.listTopics().names().get().stream().filter(t -> t.startsWith(ns)).forEach(topics::add);
        Set<String> groups = new TreeSet<>();
        admin.listGroups().all().get().stream().map(GroupListing::groupId)
                .filter(g -> g.startsWith(ns) || g.startsWith(oracle)).forEach(groups::add);
        Set<String> ids = new TreeSet<>();
        admin.listTransactions().all().get().stream().map(TransactionListing::transactionalId)
                .filter(t -> t.startsWith(ns) || t.startsWith(oracle)).forEach(ids::add);
        return new Names(topics, groups, ids);
    }

    /** Every probe of the chart answers 200 without the bearer token the API otherwise wants. */
    private static void probesAnswerWithoutTheToken(List<JsonNode> chart, String api) throws Exception {
        JsonNode container = DeployFiles.named(chart, "StatefulSet", DeployFiles.RELEASE + "-etl").path("spec")
                .path("template").path("spec").path("containers").get(0);
        assertThat(get(api + "/v1/pipelines", null).statusCode()).as("the API wants its token").isEqualTo(401);
        Set<String> paths = new TreeSet<>();
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            paths.add(container.path(probe).path("httpGet").path("path").asText());
        }
        for (JsonNode arg : DeployFiles.yaml("docker-compose.yml").path("services").path("etl").path("healthcheck").path("test")) {
            if (arg.asText().startsWith("http://")) {
                paths.add(URI.create(arg.asText()).getPath());
            }
        }
        assertThat(paths).as("probe paths of the chart and the compose health check").contains("/health", "/ready");
        for (String path : paths) {
            await("GET " + path + " answers 200").atMost(DEADLINE)
                    .until(() -> get(api + path, null).statusCode(), code -> code == 200);
        }
    }

    /** Metric name → the label names of its samples, from the ETL's /metrics. */
    private static Map<String, Set<String>> scrape(String api) throws Exception {
        HttpResponse<String> response = get(api + "/metrics", TOKEN);
        assertThat(response.statusCode()).isEqualTo(200);
        return samples(response.body());
    }

    /** Metric name → the label names of its samples, from a Prometheus text exposition. */
    private static Map<String, Set<String>> samples(String exposition) {
        Map<String, Set<String>> metrics = new HashMap<>();
        for (String line : exposition.lines().toList()) {
            Matcher m = SAMPLE.matcher(line);
            if (line.startsWith("#") || !m.matches()) {
                continue;
            }
            Set<String> labels = metrics.computeIfAbsent(m.group(1), k -> new TreeSet<>());
            Matcher label = LABEL.matcher(m.group(3) == null ? "" : m.group(3));
            while (label.find()) {
                labels.add(label.group(1));
            }
        }
        return metrics;
    }

    private static List<String> ruleProblems(JsonNode alerts, Map<String, Set<String>> served) {
        List<String> problems = new ArrayList<>();
        for (JsonNode rule : alerts.path("groups").get(0).path("rules")) {
            String alert = rule.path("alert").asText();
            boolean pending = rule.path("annotations").has("pending");
            for (PromQl.Selector selector : PromQl.selectors(rule.path("expr").asText())) {
                String metric = selector.metric();
                if (KAFKA_EXPORTER_METRICS.contains(metric)) {
                    continue;
                }
                if (pending && served.containsKey(metric)) {
                    problems.add(alert + ": " + metric + " is served now; remove the rule's pending annotation");
                } else if (!pending && !served.containsKey(metric)) {
                    problems.add(alert + ": " + metric + " is not served by the ETL or the oracles (mark the rule pending, or fix the name)");
                } else if (!pending) {
                    for (String label : selector.labels().keySet()) {
                        if (!served.get(metric).contains(label)) {
                            problems.add(alert + ": " + metric + " has no label " + label + " (it has "
                                    + served.get(metric) + ")");
                        }
                    }
                }
            }
        }
        return problems;
    }

    private static HttpResponse<String> get(String url, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
