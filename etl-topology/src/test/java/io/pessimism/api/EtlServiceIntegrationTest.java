package io.pessimism.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pessimism.avro.AddressInterest;
import io.pessimism.avro.DesiredState;
import io.pessimism.client.PessimismApiException;
import io.pessimism.client.PessimismClient;
import io.pessimism.config.PessimismConfig;
import io.pessimism.control.RecordingBranches;
import io.pessimism.interest.InterestKey;
import io.pessimism.registry.Registry;
import io.pessimism.schemaregistry.EmbeddedSchemaRegistry;
import io.pessimism.schemaregistry.RestSchemaRegistryClient;
import io.pessimism.schemaregistry.SchemaRegistryClient;
import io.pessimism.testkit.kafka.KafkaClusterExtension;
import io.pessimism.topic.Topic;
import io.pessimism.topic.TopicNames;
import io.pessimism.topic.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real service on an in-JVM KRaft broker and the embedded registry, with a recording branch
 * runtime: REST create/list/show/addresses, dedup across two instances, restart, bad input.
 * Each test has its own namespace.
 */
class EtlServiceIntegrationTest {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleNode();

    private static final String ADDRESS = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
    private static final String PING = "Ping(address,uint256)";
    // Heads are read afresh for every request, so the blocks a test produces are seen at once.
    private static final EtlService.Options OPTIONS =
            new EtlService.Options(Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ZERO);

    private static EmbeddedSchemaRegistry schemaRegistry;
    private static SchemaRegistryClient registryClient;

    @TempDir
    Path stateDir;

    private final List<EtlService> services = new ArrayList<>();

    @BeforeAll
    static void startRegistry() {
        schemaRegistry = EmbeddedSchemaRegistry.builder().bootstrapServers(KAFKA.bootstrapServers())
                .storeTopic(new TopicNames("it").schemas()).port(0).replicationFactor(1).build().start();
        registryClient = new RestSchemaRegistryClient(schemaRegistry.url());
    }

    @AfterAll
    static void stopRegistry() {
        schemaRegistry.close();
    }

    @AfterEach
    void closeServices() {
        services.forEach(EtlService::close);
    }

    private EtlService start(String namespace, RecordingBranches branches, String instanceDir) {
        EtlService service = new EtlService(config(namespace, KAFKA.bootstrapServers(), instanceDir), registryClient,
                branches, Registry.standard(), OPTIONS).start();
        services.add(service);
        return service;
    }

    private PessimismConfig config(String namespace, String bootstrap, String instanceDir) {
        return PessimismConfig.defaults(Map.of("namespace", namespace, "kafka.bootstrap.servers", bootstrap,
                "api.port", "0", "state.dir", stateDir.resolve(instanceDir).toString()));
    }

    private static PessimismClient client(EtlService service) {
        return PessimismClient.create(service.apiUrl(), Optional.empty());
    }

    private static CreatePipelineRequest liveEventLog(String owner, CreatePipelineRequest.Interest... interests) {
        return new CreatePipelineRequest("layer1", "live", "event_log", null, null, owner, List.of(interests));
    }

    @Test
    void restCreateListShowAndAddressesThroughTheRealService() throws Exception {
        RecordingBranches branches = new RecordingBranches();
        EtlService service = start("rest", branches, "a");
        PessimismClient client = client(service);
        produceBlocks("rest", 0, 10);

        PipelineCreated created = client.createPipeline(liveEventLog("risk-1",
                new CreatePipelineRequest.Interest(ADDRESS, List.of(PING))));
        assertThat(created.reused()).isFalse();
        assertThat(created.state()).isEqualTo("starting");
        assertThat(created.topic()).isEqualTo("rest.live.layer1-event_log.layer1-geth_block.out");
        await("the reconciler applies the new spec").atMost(Duration.ofSeconds(10))
                .until(() -> branches.appliedPuuids().contains(created.puuid()));
        assertThat(branches.applied().get(0).getStartHeight()).as("head 9 + 1").isEqualTo(10L);

        PipelineCreated reused = client.createPipeline(liveEventLog("risk-2"));
        assertThat(reused.reused()).isTrue();
        assertThat(reused.puuid()).isEqualTo(created.puuid());

        produceBlocks("rest", 10, 5);
        InterestAccepted later = client.addAddress(created.puuid(), ADDRESS.toUpperCase().replace("0X", "0x"), "risk-2",
                List.of("Pong(uint256)"));
        assertThat(later.effectiveFrom()).as("head 14 + 1").isEqualTo(15L);
        assertThat(later.address()).isEqualTo(ADDRESS.toLowerCase());
        Map<String, AddressInterest> interests = await("interests reach <ns>.state").atMost(Duration.ofSeconds(10))
                .until(() -> interestsOnly(readState("rest")), m -> m.size() == 2);
        await("the horizon follows the head").atMost(Duration.ofSeconds(10))
                .until(() -> readState("rest").get("horizon|layer1"), h -> h != null && h.getEffectiveFrom() == 14L);
        assertThat(interests.get(created.puuid() + "|" + ADDRESS.toLowerCase() + "|risk-1").getEffectiveFrom())
                .isEqualTo(10L);
        assertThat(interests.get(created.puuid() + "|" + ADDRESS.toLowerCase() + "|risk-2").getSignatures())
                .containsExactly("Pong(uint256)");

        assertThat(client.listPipelines()).singleElement().satisfies(p -> {
            assertThat(p.puuid()).isEqualTo(created.puuid());
            assertThat(p.owners()).containsExactly("risk-1", "risk-2");
        });
        assertThat(client.showPipeline(created.puuid()).startHeight()).isEqualTo(10L);
        assertThat(client.pausePipeline(created.puuid()).desiredState()).isEqualTo("paused");
        assertThat(client.resumePipeline(created.puuid()).desiredState()).isEqualTo("running");
        client.removeAddress(created.puuid(), ADDRESS, "risk-2");
        await().atMost(Duration.ofSeconds(10)).until(() -> interestsOnly(readState("rest")), m -> m.size() == 1);

        await("the pipeline's meters (refreshed every 2 s)").atMost(Duration.ofSeconds(10))
                .until(() -> get(service, "/metrics").body(), body -> body.contains(
                        "pessimism_etl_active_pipelines{network=\"layer1\",pipeline=\"live\",register=\"event_log\"} 1.0")
                        && body.contains("pessimism_pipeline_latency_seconds{puuid=\"" + created.puuid() + "\"}")
                        && body.contains("pessimism_missed_blocks_total{puuid=\"" + created.puuid() + "\"}"));
        assertThat(get(service, "/ready").statusCode()).as(get(service, "/ready").body()).isEqualTo(200);

        assertThat(client.removePipeline(created.puuid(), Optional.of("risk-1"), false).owners()).containsExactly("risk-2");
        assertThat(client.removePipeline(created.puuid(), Optional.empty(), false).desiredState()).isEqualTo("removed");
        assertThatThrownBy(() -> client.showPipeline(created.puuid()))
                .isInstanceOfSatisfying(PessimismApiException.class, e -> assertThat(e.status()).isEqualTo(404));
        await("the runtime is told to remove it").atMost(Duration.ofSeconds(10)).until(() -> branches.applied()
                .get(branches.applied().size() - 1).getDesiredState() == io.pessimism.avro.DesiredState.REMOVED);
    }

    @Test
    void badInputIsRefusedAndNothingReachesTheCommandsTopic() throws Exception {
        EtlService service = start("bad", new RecordingBranches(), "a");
        PessimismClient client = client(service);

        List<CreatePipelineRequest> bad = List.of(
                new CreatePipelineRequest("layer9", "live", "event_log", null, null, "o", null),
                new CreatePipelineRequest("layer1", "live", "no_such", null, null, "o", null),
                liveEventLog("o", new CreatePipelineRequest.Interest("0x1234", List.of(PING))),
                liveEventLog("o", new CreatePipelineRequest.Interest(ADDRESS, List.of("Transfer(address, address, uint256)"))));
        for (CreatePipelineRequest request : bad) {
            assertThatThrownBy(() -> client.createPipeline(request))
                    .isInstanceOfSatisfying(PessimismApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.problem().orElseThrow().field()).isNotBlank();
                    });
        }
        HttpResponse<String> malformed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(service.apiUrl() + "/v1/pipelines")).POST(HttpRequest.BodyPublishers.ofString("{oops")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.headers().firstValue("Content-Type")).hasValue(Problem.MEDIA_TYPE);
        String unknown = "live::layer1:live:pipe:event_log::layer1:live:oracle:geth_block:::" + UUID.randomUUID();
        assertThatThrownBy(() -> client.showPipeline(unknown))
                .isInstanceOfSatisfying(PessimismApiException.class, e -> assertThat(e.status()).isEqualTo(404));

        assertThat(committedRecords(new TopicNames("bad").pipelineCommands())).as("nothing was stored").isZero();
        assertThat(client.listPipelines()).isEmpty();
    }

    @Test
    void fiftyConcurrentIdenticalCreatesOnTwoInstancesGiveOnePipeline() throws Exception {
        RecordingBranches branchesA = new RecordingBranches();
        RecordingBranches branchesB = new RecordingBranches();
        List<PessimismClient> clients = List.of(client(start("dedup", branchesA, "a")),
                client(start("dedup", branchesB, "b")));

        ExecutorService pool = Executors.newFixedThreadPool(50);
        List<Future<PipelineCreated>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                PessimismClient client = clients.get(i % 2);
                answers.add(pool.submit(() -> client.createPipeline(liveEventLog("risk-engine"))));
            }
            List<PipelineCreated> created = new ArrayList<>();
            for (Future<PipelineCreated> answer : answers) {
                created.add(answer.get());
            }
            assertThat(created).extracting(PipelineCreated::puuid).containsOnly(created.get(0).puuid());
            assertThat(created).filteredOn(c -> !c.reused()).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        await("both instances' branch runtimes see the one pipeline").atMost(Duration.ofSeconds(10))
                .until(() -> branchesA.appliedPuuids().size() == 1 && branchesB.appliedPuuids().size() == 1);
        assertThat(branchesA.appliedPuuids()).isEqualTo(branchesB.appliedPuuids());
        assertThat(committedRecords(new TopicNames("dedup").pipelines())).as("one spec record: the create").isEqualTo(1);
    }

    @Test
    void aRestartedServiceResumesItsPipelines() {
        EtlService first = start("restart", new RecordingBranches(), "a");
        PessimismClient client = client(first);
        String live = client.createPipeline(liveEventLog("o")).puuid();
        String backtest = client.createPipeline(new CreatePipelineRequest("layer2", "backtest", "event_log", 5L, 15L,
                "o", null)).puuid();
        first.close();

        RecordingBranches afterRestart = new RecordingBranches();
        EtlService second = start("restart", afterRestart, "a");
        assertThat(afterRestart.appliedPuuids()).as("applied before start() returns").containsExactly(live, backtest);
        assertThat(client(second).listPipelines()).extracting(PipelineView::puuid).containsExactly(live, backtest);
        assertThat(client(second).createPipeline(liveEventLog("p")).puuid()).as("dedup state survived")
                .isEqualTo(live);
    }

    @Test
    void aRestartedServiceAppliesOnlyEachPipelinesLatestSpec() {
        EtlService first = start("history", new RecordingBranches(), "a");
        PessimismClient client = client(first);
        String puuid = client.createPipeline(liveEventLog("o")).puuid();
        client.stopPipeline(puuid);
        client.resumePipeline(puuid);
        first.close();

        RecordingBranches afterRestart = new RecordingBranches();
        start("history", afterRestart, "a");

        // replaying STOPPED would delete the branch's offsets and re-emit everything from its start
        assertThat(afterRestart.applied()).as("the stored history RUNNING, STOPPED, RUNNING applied as its last")
                .singleElement()
                .satisfies(spec -> assertThat(spec.getDesiredState()).isEqualTo(DesiredState.RUNNING))
                .satisfies(spec -> assertThat(spec.getRevision()).isEqualTo(3));
    }

    @Test
    void whenTheInstanceHoldingTheWriterLeavesTheOtherAnswersWithTheSameState() {
        EtlService first = start("failover", new RecordingBranches(), "a");
        EtlService second = start("failover", new RecordingBranches(), "b");
        String puuid = client(first).createPipeline(liveEventLog("o")).puuid();

        first.close(); // Kafka Streams keeps a task with its first owner, so the writer moves to second
        PipelineCreated again = client(second).createPipeline(liveEventLog("p"));

        assertThat(again.reused()).as("the writer's stores were restored from their changelogs").isTrue();
        assertThat(again.puuid()).isEqualTo(puuid);
    }

    @Test
    void anUnreachableBrokerAtStartIsAClearError() {
        EtlService service = new EtlService(config("down", "127.0.0.1:1", "a"), registryClient,
                new RecordingBranches(), Registry.standard(),
                new EtlService.Options(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ZERO));
        assertThatThrownBy(service::start)
                .hasMessageContaining("127.0.0.1:1")
                .hasMessageContaining("unreachable")
                .hasMessageContaining("kafka.bootstrap.servers");
    }

    /**
     * {@code /ready} names every check with its result, and fails (503, a problem) naming each one that
     * fails with its reason: a branch in ERROR, then the schema registry gone; {@code /health} stays up.
     */
    @Test
    void readyNamesEachCheckAndFailsWithABranchInErrorOrTheRegistryGone() throws Exception {
        RecordingBranches branches = new RecordingBranches();
        try (EmbeddedSchemaRegistry ownRegistry = EmbeddedSchemaRegistry.builder().inMemory().port(0).build().start()) {
            EtlService service = new EtlService(config("ready", KAFKA.bootstrapServers(), "a"),
                    new RestSchemaRegistryClient(ownRegistry.url()), branches, Registry.standard(), OPTIONS).start();
            services.add(service);
            ObjectMapper json = new ObjectMapper();

            HttpResponse<String> ready = get(service, "/ready");
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            JsonNode checks = json.readTree(ready.body()).path("checks");
            assertThat(checks.fieldNames()).toIterable()
                    .containsExactly("kafka", "schema-registry", "control-plane", "replies", "reconciler", "branches");
            assertThat(checks.elements()).toIterable().extracting(JsonNode::asText).containsOnly("ok");

            branches.notReady(Optional.of("branch p (pipeline x) is in ERROR: boom"));
            HttpResponse<String> erring = get(service, "/ready");
            assertThat(erring.statusCode()).isEqualTo(503);
            assertThat(erring.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                    assertThat(type).startsWith("application/problem+json"));
            JsonNode problem = json.readTree(erring.body());
            assertThat(problem.path("detail").asText()).isEqualTo("branches: branch p (pipeline x) is in ERROR: boom");
            assertThat(problem.path("checks").path("branches").asText()).isEqualTo("branch p (pipeline x) is in ERROR: boom");
            assertThat(problem.path("checks").path("kafka").asText()).isEqualTo("ok");

            branches.notReady(Optional.empty());
            String registryUrl = ownRegistry.url();
            ownRegistry.close();
            HttpResponse<String> noRegistry = get(service, "/ready");
            assertThat(noRegistry.statusCode()).isEqualTo(503);
            assertThat(json.readTree(noRegistry.body()).path("checks").path("schema-registry").asText())
                    .contains("could not reach the schema registry at").contains(registryUrl);
            assertThat(json.readTree(noRegistry.body()).path("checks").path("branches").asText()).isEqualTo("ok");
            assertThat(get(service, "/health").statusCode()).as("liveness is not readiness").isEqualTo(200);
        }
    }

    private static HttpResponse<String> get(EtlService service, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(service.apiUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Blocks {@code from .. from+count-1} as the oracle writes them: keyed by number, in one transaction. */
    private static void produceBlocks(String namespace, long from, int count) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, namespace + ".test-oracle");
        String topic = namespace + ".layer1.geth_block";
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            for (long block = from; block < from + count; block++) {
                producer.send(new ProducerRecord<>(topic, 0, Long.toString(block), new byte[] {1}));
            }
            producer.commitTransaction();
        }
    }

    /** The interests of a {@link #readState} result, without the control plane's horizons. */
    private static Map<String, AddressInterest> interestsOnly(Map<String, AddressInterest> state) {
        Map<String, AddressInterest> interests = new HashMap<>(state);
        interests.keySet().removeIf(InterestKey::isHorizon);
        return interests;
    }

    private static Map<String, AddressInterest> readState(String namespace) {
        Topic<String, AddressInterest> state = new Topics(new TopicNames(namespace), registryClient, -1).state();
        Map<String, AddressInterest> latest = new HashMap<>();
        try (var consumer = new KafkaConsumer<>(consumerProps(), state.keySerde().deserializer(),
                state.valueSerde().deserializer())) {
            TopicPartition partition = new TopicPartition(state.name(), 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            while (consumer.position(partition) < end) {
                for (ConsumerRecord<String, AddressInterest> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() == null) {
                        latest.remove(record.key());
                    } else {
                        latest.put(record.key(), record.value());
                    }
                }
            }
        }
        return latest;
    }

    /** How many committed records a topic holds (its end offset counts transaction markers too). */
    private static long committedRecords(String topic) {
        try (var consumer = new KafkaConsumer<>(consumerProps(), new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            long records = 0;
            while (consumer.position(partition) < end) {
                records += consumer.poll(Duration.ofMillis(200)).count();
            }
            return records;
        }
    }

    private static Properties consumerProps() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return props;
    }
}
