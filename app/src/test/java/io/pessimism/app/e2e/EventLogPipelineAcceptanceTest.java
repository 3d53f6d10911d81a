package io.pessimism.app.e2e;

import static io.pessimism.testkit.chain.Emitter.PING_SIGNATURE;
import static io.pessimism.testkit.chain.Emitter.PING_TOPIC;
import static io.pessimism.testkit.chain.Emitter.PONG_SIGNATURE;
import static io.pessimism.testkit.chain.Emitter.PONG_TOPIC;
import static io.pessimism.testkit.chain.Emitter.TRANSFER_SIGNATURE;
import static io.pessimism.testkit.chain.Emitter.TRANSFER_TOPIC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pessimism.api.CreatePipelineRequest;
import io.pessimism.api.CreatePipelineRequest.Interest;
import io.pessimism.api.EtlService;
import io.pessimism.api.InterestAccepted;
import io.pessimism.api.PipelineCreated;
import io.pessimism.app.e2e.Blocks.Call;
import io.pessimism.avro.Envelope;
import io.pessimism.avro.EventLogOutput;
import io.pessimism.client.PessimismClient;
import io.pessimism.schemaregistry.EmbeddedSchemaRegistry;
import io.pessimism.testkit.anvil.AnvilExtension;
import io.pessimism.testkit.chain.ChainDriver;
import io.pessimism.testkit.chain.Emitter;
import io.pessimism.testkit.kafka.KafkaClusterExtension;
import io.pessimism.topic.TopicNames;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.GroupListing;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Issue 5's acceptance on real parts in one JVM: a KRaft broker, the embedded registry, anvil, the
 * layer1 GethBlock oracle, the ETL service (control plane, Kafka Streams branches, REST API) as
 * {@code pessimism dev} wires them, and a risk engine's view: {@code <prefix>.out} read
 * {@code read_committed} in the Confluent wire format. Records are compared with the receipts'
 * logs as multisets, field by field.
 *
 * <p>Identical live pipelines share one branch, so the first two tests share a namespace and
 * keep apart by their own contracts and owners; the dedup tests need a pipeline nobody created
 * yet and run in namespaces of their own.
 */
class EventLogPipelineAcceptanceTest {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleNode();

    @RegisterExtension
    static final AnvilExtension ANVIL = AnvilExtension.create();

    /** Up to: the branch starting (topics, start position, Kafka Streams rebalance), then blocks through the oracle. */
    private static final Duration DELIVERY = Duration.ofSeconds(45);
    private static final String WHO = "0x00000000000000000000000000000000000000a1";
    private static final String OTHER = "0x00000000000000000000000000000000000000b2";

    @TempDir
    static Path stateRoot;

    private static EmbeddedSchemaRegistry schemaRegistry;
    private static ChainDriver chain;
    private static OutTopicReader<EventLogOutput> reader;
    private static EtlStack shared;
    private static PessimismClient sharedClient;

    @BeforeAll
    static void startEverything() {
        schemaRegistry = EmbeddedSchemaRegistry.builder().bootstrapServers(KAFKA.bootstrapServers())
                .storeTopic(new TopicNames("e2e-registry").schemas()).port(0).replicationFactor(1).build().start();
        chain = ChainDriver.connect(ANVIL.httpUrl());
        reader = new OutTopicReader<>(KAFKA.bootstrapServers(), schemaRegistry.url(), EventLogOutput.class);
        shared = EtlStack.start("e2e", endpoints(), stateRoot);
        sharedClient = client(shared.startEtl("a"));
    }

    @AfterAll
    static void stopEverything() {
        if (shared != null) {
            shared.close();
        }
        if (chain != null) {
            chain.close();
        }
        if (schemaRegistry != null) {
            schemaRegistry.close();
        }
    }

    @Test
    void exactlyTheWatchedEventsArriveWithTheReceiptsFields() {
        String contract = chain.deployEmitter();
        String unwatched = chain.deployEmitter();
        PipelineCreated pipeline = sharedClient.createPipeline(liveEventLog("owner-a",
                new Interest(contract, List.of(PING_SIGNATURE))));

        List<TransactionReceipt> receipts = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            BigInteger first = BigInteger.valueOf(round * 3L + 1);
            receipts.addAll(Blocks.mineTogether(chain, List.of(
                    new Call(contract, Emitter.pongCall(WHO, first)),
                    new Call(unwatched, Emitter.pingCall(WHO, first)),
                    new Call(contract, Emitter.transferCall(WHO, OTHER, first)),
                    new Call(contract, Emitter.pingManyCall(WHO, first, 3)))));
        }
        List<ChainLog> expected = logs(receipts, contract, PING_TOPIC);
        assertThat(expected).as("12 Pings over 4 blocks").hasSize(12);
        assertThat(receipts.stream().mapToInt(r -> r.getLogs().size()).sum())
                .as("besides them, a Pong, a Transfer and another contract's Ping per block").isEqualTo(24);

        List<EventLogOutput> records = recordsOf(awaitRecordOf(pipeline.topic(), last(expected)), contract, unwatched);

        assertThat(records).extracting(r -> ChainLog.of(r.getValue())).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(records).allSatisfy(r -> {
            Envelope envelope = r.getEnvelope();
            assertThat(envelope.getOwners()).containsExactly("owner-a");
            assertThat(envelope.getRemoved()).isFalse();
            assertThat(r.getValue().getRemoved()).isFalse();
            assertThat(envelope.getPuuid()).isEqualTo(pipeline.puuid());
            assertThat(envelope.getPipelinePid()).isEqualTo(pipeline.pid());
            assertThat(envelope.getNetwork()).isEqualTo("layer1");
            assertThat(envelope.getRegister()).isEqualTo("event_log");
            assertThat(envelope.getAddress()).isEqualTo(contract);
            assertThat(envelope.getBlockNumber()).isEqualTo(r.getValue().getBlockNumber());
            assertThat(envelope.getBlockHash()).isEqualTo(r.getValue().getBlockHash());
            assertThat(r.getValue().getNetwork()).isEqualTo("layer1");
        });
    }

    @Test
    void eachRecordIsTaggedOnlyForTheOwnersWatchingItsAddressAndEvent() {
        String x = chain.deployEmitter();
        String y = chain.deployEmitter();
        PipelineCreated forB = sharedClient.createPipeline(liveEventLog("owner-b",
                new Interest(x, List.of(PING_SIGNATURE))));
        PipelineCreated forC = sharedClient.createPipeline(liveEventLog("owner-c",
                new Interest(x, List.of(TRANSFER_SIGNATURE))));
        assertThat(forC.puuid()).as("the identical live pipeline is shared").isEqualTo(forB.puuid());
        assertThat(forC.reused()).isTrue();
        await("the branch runs, so the next interest is added to a running pipeline").atMost(DELIVERY)
                .until(() -> sharedClient.showPipeline(forB.puuid()).state(), "live"::equals);
        InterestAccepted later = sharedClient.addAddress(forB.puuid(), y, "owner-c", List.of(PONG_SIGNATURE));
        assertThat(later.address()).isEqualTo(y);

        List<TransactionReceipt> receipts = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            BigInteger value = BigInteger.valueOf(round + 1);
            receipts.addAll(Blocks.mineTogether(chain, List.of(
                    new Call(x, Emitter.pingCall(WHO, value)),
                    new Call(x, Emitter.pongCall(WHO, value)),
                    new Call(x, Emitter.transferCall(WHO, OTHER, value)),
                    new Call(y, Emitter.pingCall(WHO, value)),
                    new Call(y, Emitter.pongCall(WHO, value)))));
        }
        List<Map.Entry<ChainLog, List<String>>> expected = new ArrayList<>();
        logs(receipts, x, PING_TOPIC).forEach(log -> expected.add(Map.entry(log, List.of("owner-b"))));
        logs(receipts, x, TRANSFER_TOPIC).forEach(log -> expected.add(Map.entry(log, List.of("owner-c"))));
        List<ChainLog> pongsOfY = logs(receipts, y, PONG_TOPIC);
        pongsOfY.forEach(log -> expected.add(Map.entry(log, List.of("owner-c"))));
        assertThat(expected).hasSize(9);

        List<EventLogOutput> records = recordsOf(awaitRecordOf(forB.topic(), last(pongsOfY)), x, y);

        assertThat(records).extracting(r -> Map.entry(ChainLog.of(r.getValue()), r.getEnvelope().getOwners()))
                .as("(log, owners) of every record for x and y")
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void identicalSequentialCreatesShareOnePipelineAndOneBranch() {
        try (EtlStack stack = EtlStack.start("e2e-seq", endpoints(), stateRoot)) {
            PessimismClient client = client(stack.startEtl("a"));
            String contract = chain.deployEmitter();
            CreatePipelineRequest request = liveEventLog("owner-d", new Interest(contract, List.of(PING_SIGNATURE)));

            PipelineCreated first = client.createPipeline(request);
            PipelineCreated second = client.createPipeline(request);

            assertThat(first.reused()).isFalse();
            assertThat(second.reused()).isTrue();
            assertThat(second).extracting(PipelineCreated::puuid, PipelineCreated::pid, PipelineCreated::topic)
                    .containsExactly(first.puuid(), first.pid(), first.topic());
            assertDeliveredOnceEach(stack, first, contract, "owner-d");
        }
    }

    @Test
    void fiftyConcurrentIdenticalCreatesOnTwoInstancesGiveOnePipelineAndNoDuplicates() throws Exception {
        try (EtlStack stack = EtlStack.start("e2e-dup", endpoints(), stateRoot)) {
            List<PessimismClient> clients = List.of(client(stack.startEtl("a")), client(stack.startEtl("b")));
            String contract = chain.deployEmitter();
            CreatePipelineRequest request = liveEventLog("owner-e", new Interest(contract, List.of(PING_SIGNATURE)));

            List<PipelineCreated> created = concurrently(50, i -> clients.get(i % 2).createPipeline(request));

            assertThat(created).extracting(PipelineCreated::puuid).containsOnly(created.get(0).puuid());
            assertThat(created).filteredOn(c -> !c.reused()).as("exactly one create made the pipeline").hasSize(1);
            assertDeliveredOnceEach(stack, created.get(0), contract, "owner-e");
        }
    }

    /**
     * Emits 9 Pings over 3 blocks (and a Pong per block) on {@code contract}, then checks the
     * pipeline delivered each exactly once, for {@code owner} only, and that its namespace holds
     * one branch: one {@code .out} topic and one Kafka Streams group besides the control plane's
     * (and the oracles' lease group).
     */
    private static void assertDeliveredOnceEach(EtlStack stack, PipelineCreated pipeline, String contract,
                                                String owner) {
        List<TransactionReceipt> receipts = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            BigInteger first = BigInteger.valueOf(round * 3L + 1);
            receipts.addAll(Blocks.mineTogether(chain, List.of(
                    new Call(contract, Emitter.pongCall(WHO, first)),
                    new Call(contract, Emitter.pingManyCall(WHO, first, 3)))));
        }
        List<ChainLog> expected = logs(receipts, contract, PING_TOPIC);
        assertThat(expected).hasSize(9);

        List<EventLogOutput> records = awaitRecordOf(pipeline.topic(), last(expected));

        assertThat(records).extracting(r -> ChainLog.of(r.getValue()))
                .as("every record of the namespace's only pipeline, once each")
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(records).allSatisfy(r -> assertThat(r.getEnvelope().getOwners()).containsExactly(owner));
        String prefix = pipeline.topic().substring(0, pipeline.topic().length() - ".out".length());
        try (Admin admin = admin()) {
            assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS))
                    .filteredOn(t -> t.startsWith(stack.namespace() + ".") && t.endsWith(".out"))
                    .containsExactly(pipeline.topic());
            assertThat(admin.listGroups().all().get(10, TimeUnit.SECONDS))
                    .extracting(GroupListing::groupId)
                    .filteredOn(g -> g.startsWith(stack.namespace() + "."))
                    .containsExactlyInAnyOrder(stack.namespace() + ".control", stack.namespace() + ".oracles", prefix);
        } catch (Exception e) {
            throw new AssertionError("could not list the topics and groups of " + stack.namespace(), e);
        }
    }

    /** Reads {@code topic} until the record of {@code log} is there; records of earlier blocks precede it. */
    private static List<EventLogOutput> awaitRecordOf(String topic, ChainLog log) {
        return reader.awaitRecord(topic, "the record of the last watched log, " + log.id(),
                r -> ChainLog.of(r.getValue()).equals(log), DELIVERY);
    }

    /** The records about {@code addresses}: a shared pipeline carries other tests' records too. */
    private static List<EventLogOutput> recordsOf(List<EventLogOutput> records, String... addresses) {
        Set<String> wanted = Set.of(addresses);
        return records.stream().filter(r -> wanted.contains(r.getValue().getAddress())).toList();
    }

    /** The receipts' logs emitted by {@code contract} with {@code topic0}, in chain order. */
    private static List<ChainLog> logs(List<TransactionReceipt> receipts, String contract, String topic0) {
        return receipts.stream()
                .flatMap(r -> r.getLogs().stream())
                .map(ChainLog::of)
                .filter(log -> log.address().equals(contract) && log.topics().get(0).equals(topic0))
                .toList();
    }

    private static ChainLog last(List<ChainLog> logs) {
        return logs.get(logs.size() - 1);
    }

    /** Runs {@code n} calls released at once from {@code n} threads; their answers in call order. */
    private static <T> List<T> concurrently(int n, Indexed<T> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    go.await();
                    return call.apply(index);
                }));
            }
            go.countDown();
            List<T> answers = new ArrayList<>();
            for (Future<T> future : futures) {
                answers.add(future.get(30, TimeUnit.SECONDS));
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    /** A call given its index. */
    @FunctionalInterface
    private interface Indexed<T> {
        T apply(int index) throws Exception;
    }

    private static CreatePipelineRequest liveEventLog(String owner, Interest... interests) {
        return new CreatePipelineRequest("layer1", "live", "event_log", null, null, owner, List.of(interests));
    }

    private static PessimismClient client(EtlService etl) {
        return PessimismClient.create(etl.apiUrl(), Optional.empty());
    }

    private static EtlStack.Endpoints endpoints() {
        return new EtlStack.Endpoints(KAFKA.bootstrapServers(), schemaRegistry.url(), ANVIL.httpUrl(), ANVIL.wsUrl());
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()));
    }
}
