package io.pessimism.pipeline;

import static io.pessimism.topology.TestBlocks.block;
import static io.pessimism.topology.TestBlocks.log;
import static io.pessimism.topology.TestBlocks.retraction;
import static io.pessimism.topology.TestPipelines.interest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pessimism.avro.AddressInterest;
import io.pessimism.avro.Block;
import io.pessimism.avro.DesiredState;
import io.pessimism.avro.EventLogOutput;
import io.pessimism.avro.OracleHealth;
import io.pessimism.avro.PipelineSpec;
import io.pessimism.avro.PipelineState;
import io.pessimism.avro.PipelineStatus;
import io.pessimism.config.KafkaConnection;
import io.pessimism.interest.InterestHorizon;
import io.pessimism.network.Network;
import io.pessimism.registry.Registry;
import io.pessimism.schemaregistry.EmbeddedSchemaRegistry;
import io.pessimism.schemaregistry.RestSchemaRegistryClient;
import io.pessimism.testkit.kafka.KafkaClusterExtension;
import io.pessimism.testkit.logging.LogCapture;
import io.pessimism.topic.TopicAdmin;
import io.pessimism.topic.TopicNames;
import io.pessimism.topic.Topics;
import io.pessimism.topology.ComponentCatalog;
import io.pessimism.topology.ReorgWindows;
import io.pessimism.topology.TestBlocks;
import io.pessimism.topology.TestPipelines;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The branch runtime on a real KRaft broker with the embedded registry, exactly once end to end. */
class StreamsBranchesTest {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleNode();

    private static final String NS = "sb";
    private static final String A = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
    private static final String B = "0xe7f1725e7734ce288f8367e1bb143e90bb3f0512";
    private static final String PING = "Ping(address,uint256)";
    private static final String PONG = "Pong(address,uint256)";
    private static final Duration PATIENCE = Duration.ofSeconds(45); // EOS start-up and rebalances on 2 shared cores

    private static final java.util.concurrent.atomic.AtomicInteger TESTS = new java.util.concurrent.atomic.AtomicInteger();
    private static EmbeddedSchemaRegistry schemaRegistry;

    @TempDir
    Path stateDir;

    private final Registry registry = Registry.standard();
    private Topics topics;
    private StreamsBranches branches;
    private BranchSettings settings;
    private KafkaProducer<String, byte[]> producer;
    private Admin admin;

    @BeforeAll
    static void startRegistry() {
        schemaRegistry = EmbeddedSchemaRegistry.builder().bootstrapServers(KAFKA.bootstrapServers()).storeTopic(new TopicNames(NS).schemas())
                .replicationFactor(1).build().start();
    }

    @AfterAll
    static void stopRegistry() {
        schemaRegistry.close();
    }

    @BeforeEach
    void start() {
        // each test its own namespace: same-PID pipelines of two tests would share a prefix and group
        topics = new Topics(new TopicNames(NS + TESTS.incrementAndGet()), new RestSchemaRegistryClient(schemaRegistry.url()), -1);
        admin = KAFKA.cluster().admin();
        TopicAdmin.ensure(admin, (short) 1, topics.blocks(Network.LAYER1), topics.blocks(Network.LAYER2),
                topics.state());
        settings = new BranchSettings(KafkaConnection.plaintext(KAFKA.bootstrapServers()), stateDir, (short) 1, Duration.ofMillis(100),
                1024 * 1024, 16 * 1024 * 1024, Duration.ofMillis(200), Map.of());
        branches = new StreamsBranches(settings, topics, registry, ComponentCatalog.standard());
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void stop() {
        branches.close();
        producer.close();
        admin.close();
    }

    @Test
    void aLiveEventLogBranchEmitsExactlyTheWatchedLogsFromItsStartHeightThroughPauseAndResume() throws Exception {
        PipelineSpec spec = TestPipelines.live(registry, topics.names(), "event_log", Network.LAYER1, 4L);
        String out = topics.names().out(spec.getPrefix());
        watch(interest(spec, "alice", A, 1, PING));
        confirmInterestsThrough(Network.LAYER1, 8); // as the control plane would: blocks up to 8 are known
        for (long n = 1; n <= 6; n++) {
            send(block(n, log(A, PING), log(B, PING)));
        }
        sendRaw(Network.LAYER1, "7", new byte[] {0, 0, 0, 0, 77, 1}); // poison: unknown schema id 77
        send(block(8, log(A, PING)));

        sourceAt(Network.LAYER1, 8); // as the oracle says on <ns>.oracle-status
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        branches.bindMetrics(metrics);
        branches.apply(spec);
        branches.apply(spec); // idempotent: one branch, one start

        awaitState(spec, PipelineState.LIVE);
        await("its Kafka Streams metrics are served").atMost(PATIENCE)
                .untilAsserted(() -> assertThat(metrics.scrape()).containsPattern(
                        "kafka_stream_thread_process_total\\{[^}]*thread_id=\"" + java.util.regex.Pattern.quote(
                                spec.getPrefix()) + "[^\"]*-StreamThread-1\""));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(statusesOnTopic(spec.getPuuid()))
                .as("started below the head: it backfills, then it is live")
                .containsSubsequence(PipelineState.STARTING, PipelineState.BACKFILL, PipelineState.LIVE)
                .doesNotContain(PipelineState.ERROR, PipelineState.PAUSED));
        assertThat(readUntil(out, o -> o.getEnvelope().getBlockNumber() == 8))
                .extracting(o -> o.getEnvelope().getBlockNumber()).containsExactly(4L, 5L, 6L, 8L);
        var dead = readRaw(topics.names().dlq(spec.getPrefix()), 1);
        assertThat(new String(dead.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("7");
        assertThat(new String(dead.get(0).headers().lastHeader("__streams.errors.offset").value(),
                StandardCharsets.UTF_8)).isEqualTo("6");
        assertThat(dead.get(0).headers().lastHeader("__streams.errors.exception")).isNotNull();

        // an interest added while the branch runs, from a later block, for another owner: block 9 is
        // sent first and held by the branch until the horizon, written after the interest, passes it
        send(block(9, log(B, PONG), log(A, PONG)));
        watch(interest(spec, "bob", B, 9, PONG));
        confirmInterestsThrough(Network.LAYER1, Long.MAX_VALUE);
        send(block(10, log(A, PING), log(B, PONG)));
        List<EventLogOutput> after = readUntil(out, o -> o.getEnvelope().getBlockNumber() == 10
                && o.getValue().getAddress().equals(B));
        assertThat(after.subList(4, after.size()))
                .extracting(o -> o.getEnvelope().getBlockNumber(), o -> o.getEnvelope().getOwners())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(9L, List.of("bob")),
                        org.assertj.core.groups.Tuple.tuple(10L, List.of("alice")),
                        org.assertj.core.groups.Tuple.tuple(10L, List.of("bob")));
        await().atMost(PATIENCE).untilAsserted(() ->
                assertThat(branches.status(spec.getPuuid()).orElseThrow().getHeight()).isEqualTo(10L));

        assertThat(branches.notReady()).as("a live branch is ready").isEmpty();
        branches.apply(TestPipelines.withState(spec, DesiredState.PAUSED));
        awaitState(spec, PipelineState.PAUSED);
        assertThat(branches.notReady()).as("so is one paused on purpose").isEmpty();
        send(block(11, log(A, PING)));
        branches.apply(spec);
        awaitState(spec, PipelineState.LIVE);
        assertThat(readUntil(out, o -> o.getEnvelope().getBlockNumber() == 11))
                .extracting(o -> o.getEnvelope().getBlockNumber())
                .containsExactly(4L, 5L, 6L, 8L, 9L, 10L, 10L, 11L);
        assertThat(branches.branch(spec.getPrefix()).orElseThrow().starts()).isEqualTo(1);
        assertThat(statusesOnTopic(spec.getPuuid()))
                .contains(PipelineState.STARTING, PipelineState.LIVE, PipelineState.PAUSED);
    }

    @Test
    void anotherPipelineStartsWithoutRestartingTheFirstAndStopDeletesOnlyItsOwnGroup() throws Exception {
        PipelineSpec first = TestPipelines.live(registry, topics.names(), "event_log", Network.LAYER1, null);
        PipelineSpec second = TestPipelines.live(registry, topics.names(), "event_log", Network.LAYER2, 1L);
        watch(interest(first, "alice", A, 0, PING));
        watch(interest(second, "bob", A, 0, PING));
        confirmInterestsThrough(Network.LAYER1, Long.MAX_VALUE);
        confirmInterestsThrough(Network.LAYER2, Long.MAX_VALUE);
        send(block(100, log(A, PING))); // before the first's start, which has no start height: not read

        branches.apply(first);
        awaitState(first, PipelineState.LIVE);
        send(block(101, log(A, PING)));
        assertThat(readUntil(topics.names().out(first.getPrefix()), o -> o.getEnvelope().getBlockNumber() == 101))
                .extracting(o -> o.getEnvelope().getBlockNumber()).containsExactly(101L);

        producer.send(new ProducerRecord<>(topics.blocks(Network.LAYER2).name(), "1",
                serializer().serialize(topics.blocks(Network.LAYER2).name(), layer2(block(1, log(A, PING)))))).get();
        sourceAt(Network.LAYER2, 1);
        branches.apply(second);
        awaitState(second, PipelineState.LIVE);
        assertThat(readUntil(topics.names().out(second.getPrefix()), o -> o.getEnvelope().getBlockNumber() == 1))
                .extracting(o -> o.getEnvelope().getNetwork(), o -> o.getEnvelope().getOwners())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("layer2", List.of("bob")));
        assertThat(branches.branch(first.getPrefix()).orElseThrow().starts()).isEqualTo(1);
        assertThat(branches.status(first.getPuuid()).orElseThrow().getState()).isEqualTo(PipelineState.LIVE);

        branches.apply(TestPipelines.withState(second, DesiredState.STOPPED));
        awaitState(second, PipelineState.STOPPED);
        assertThat(groups()).contains(first.getPrefix()).doesNotContain(second.getPrefix());
        send(block(102, log(A, PING)));
        assertThat(readUntil(topics.names().out(first.getPrefix()), o -> o.getEnvelope().getBlockNumber() == 102))
                .extracting(o -> o.getEnvelope().getBlockNumber()).containsExactly(101L, 102L);
    }

    @Test
    void aFailingBranchIsInErrorWithTheReasonRetriesByItselfAndRemoveDeletesItsTopicsAndGroup() throws Exception {
        Registry fragile = FragileRegister.registry();
        branches.close();
        branches = new StreamsBranches(settings, topics, fragile, FragileRegister.catalog());
        PipelineSpec spec = TestPipelines.live(fragile, topics.names(), "fragile", Network.LAYER1, 1L);
        for (long n = 1; n <= 3; n++) {
            send(block(n));
        }

        branches.apply(spec);

        awaitState(spec, PipelineState.ERROR);
        assertThat(branches.status(spec.getPuuid()).orElseThrow().getReason())
                .contains("IllegalStateException: cannot digest block 3");
        await("a branch in ERROR (and retrying) leaves the instance ready: its status says why")
                .atMost(PATIENCE).until(() -> branches.notReady().isEmpty()
                        && branches.status(spec.getPuuid()).map(s -> s.getState() == PipelineState.ERROR).orElse(false));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(statusesOnTopic(spec.getPuuid()))
                .as("retried by itself").containsSubsequence(PipelineState.ERROR, PipelineState.STARTING,
                        PipelineState.ERROR));
        assertThat(admin.listTopics().names().get()).contains(topics.names().out(spec.getPrefix()));
        String outSubject = topics.names().out(spec.getPrefix()) + "-value";
        assertThat(topics.registry().subjects()).as("its records registered their schema").contains(outSubject);

        branches.apply(TestPipelines.withState(spec, DesiredState.REMOVED));

        awaitState(spec, PipelineState.STOPPED);
        assertThat(branches.status(spec.getPuuid()).orElseThrow().getReason()).isEqualTo("removed");
        assertThat(branches.notReady()).as("a removed branch is stopped on purpose").isEmpty();
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(admin.listTopics().names().get())
                .doesNotContain(topics.names().out(spec.getPrefix()), topics.names().dlq(spec.getPrefix())));
        assertThat(groups()).doesNotContain(spec.getPrefix());
        assertThat(topics.registry().subjects()).as("its schema subjects are deleted with its topics")
                .doesNotContain(outSubject);
    }

    @Test
    void aBacktestEmitsItsCanonicalRangeOnceThenItsEndAndDoneItsBranchStopsAndItsRemovalCanKeepItsOutput() throws Exception {
        branches.close();
        branches = new StreamsBranches(settings, topics, registry, ComponentCatalog.standard(), ReorgWindows.everywhere(3));
        PipelineSpec spec = TestPipelines.backtest(registry, topics.names(), "event_log", Network.LAYER1, 5, 15);
        watch(interest(spec, "alice", A, 5, PING));
        confirmInterestsThrough(Network.LAYER1, 100);
        for (long n = 1; n <= 40; n++) {
            send(block(n, log(A, PING), log(B, PING)));
        }
        sourceAt(Network.LAYER1, 40);

        branches.apply(spec);

        awaitState(spec, PipelineState.DONE);
        List<EventLogOutput> out = readUntil(topics.names().out(spec.getPrefix()), o -> o.getBacktestEnd() != null);
        assertThat(out).extracting(o -> o.getEnvelope().getBlockNumber())
                .containsExactly(5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L, 15L, 15L);
        assertThat(out.get(11).getBacktestEnd().getRecords()).isEqualTo(11);
        var done = branches.status(spec.getPuuid()).orElseThrow();
        assertThat(done.getHeight()).isEqualTo(15);
        assertThat(done.getBlocksDone()).isEqualTo(11);
        assertThat(done.getBlocksTotal()).isEqualTo(11);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(statusesOnTopic(spec.getPuuid()))
                .containsSubsequence(PipelineState.STARTING, PipelineState.BACKFILL, PipelineState.DONE)
                .doesNotContain(PipelineState.LIVE, PipelineState.ERROR));
        await("the done backtest's branch has left its group").atMost(PATIENCE).untilAsserted(() ->
                assertThat(admin.describeConsumerGroups(List.of(spec.getPrefix())).all().get().get(spec.getPrefix())
                        .members()).isEmpty());
        assertThat(branches.branch(spec.getPrefix()).orElseThrow().starts()).isEqualTo(1);

        branches.apply(PipelineSpec.newBuilder(spec).setDesiredState(DesiredState.REMOVED).setKeepOutput(true).build());
        awaitState(spec, PipelineState.STOPPED);
        await("its dead-letter topic is deleted").atMost(PATIENCE).untilAsserted(() ->
                assertThat(admin.listTopics().names().get()).doesNotContain(topics.names().dlq(spec.getPrefix())));
        assertThat(admin.listTopics().names().get()).as("removed with keepOutput: its results stay")
                .contains(topics.names().out(spec.getPrefix()));
        assertThat(topics.registry().subjects()).contains(topics.names().out(spec.getPrefix()) + "-value");
    }

    /**
     * Every line the threads of a branch write (its lifecycle thread, Kafka Streams' stream and
     * global threads, each named after the prefix) carries the pipeline in the MDC, and the line of
     * a starting branch says so in {@code /ready} until it runs.
     */
    @Test
    void everyLineABranchsThreadsWriteCarriesItsPipeline() throws Exception {
        branches.close();
        branches = new StreamsBranches(settings, topics, registry, ComponentCatalog.standard(), ReorgWindows.everywhere(3));
        PipelineSpec spec = TestPipelines.backtest(registry, topics.names(), "event_log", Network.LAYER1, 5, 15);
        watch(interest(spec, "alice", A, 5, PING));
        producer.send(new ProducerRecord<>(topics.state().name(), spec.getPuuid() + "|" + B + "|bob",
                "not an interest".getBytes(StandardCharsets.UTF_8))).get(); // the global thread logs it
        confirmInterestsThrough(Network.LAYER1, 100);
        for (long n = 1; n <= 20; n++) {
            send(block(n, log(A, PING)));
        }
        sourceAt(Network.LAYER1, 20);

        try (LogCapture logs = LogCapture.root()) {
            branches.apply(spec);
            assertThat(branches.notReady()).as("a branch not running yet").isPresent();
            awaitState(spec, PipelineState.DONE);
            await("the range end's and the interest loader's lines").atMost(PATIENCE).untilAsserted(() ->
                    assertThat(logs.events()).extracting(ILoggingEvent::getFormattedMessage)
                            .anyMatch(m -> m.contains("done, 11 records"))
                            .anyMatch(m -> m.contains("interest record " + spec.getPuuid() + "|" + B)));

            // our lines on the branch's own threads (Kafka's clients have more threads named after it, and
            // Kafka logs on the stream thread before the first processor is initialized there)
            List<ILoggingEvent> branchLines = logs.events().stream()
                    .filter(e -> e.getLoggerName().startsWith("io.pessimism"))
                    .filter(e -> e.getThreadName().equals("branch-" + spec.getPrefix())
                            || e.getThreadName().startsWith(spec.getPrefix()))
                    .toList();
            assertThat(branchLines).extracting(ILoggingEvent::getThreadName)
                    .anyMatch(t -> t.equals("branch-" + spec.getPrefix()))
                    .anyMatch(t -> t.contains("-StreamThread-"))
                    .anyMatch(t -> t.contains("-GlobalStreamThread"));
            assertThat(branchLines).allSatisfy(line -> assertThat(line.getMDCPropertyMap())
                    .as("%s on %s", line.getFormattedMessage(), line.getThreadName())
                    .containsEntry("puuid", spec.getPuuid()).containsEntry("pipeline", spec.getPid()));
            assertThat(logs.events()).filteredOn(e -> e.getFormattedMessage().contains("is DONE"))
                    .as("the status board's line, on whichever thread").isNotEmpty()
                    .allSatisfy(line -> assertThat(line.getMDCPropertyMap()).containsEntry("puuid", spec.getPuuid()));
            assertThat(logs.events()).extracting(ILoggingEvent::getFormattedMessage)
                    .as("Kafka Streams' notice is settled by configuration")
                    .noneMatch(m -> m.contains("processing.exception.handler.global.enabled"));
        }
        assertThat(branches.branch(spec.getPrefix()).orElseThrow().counters().rejectedInterests())
                .as("with the processing handler on the global thread too, the bad interest is counted and skipped")
                .isEqualTo(1);
        assertThat(branches.notReady()).as("a done backtest is finished on purpose").isEmpty();
    }

    /**
     * The range end keeps its held records, the source's frontier and its count behind the record
     * cache, and the held records in memory too: a crash mid-range, with blocks held (orphaned ones
     * among them) in the committed state, must restart from exactly that state.
     */
    @Test
    void aBacktestThatCrashesMidRangeRestartsFromItsCommittedStateAndEmitsWhatAnUndisturbedOneDoes()
            throws Exception {
        PipelineSpec disturbed = TestPipelines.backtest(registry, topics.names(), "event_log", Network.LAYER1, 5, 60);
        PipelineSpec undisturbed = TestPipelines.backtest(registry, topics.names(), "event_log", Network.LAYER1, 5, 60);
        branches.close();
        branches = new StreamsBranches(settings, topics, registry, CrashOnce.atBlock(disturbed.getPuuid(), 50),
                ReorgWindows.everywhere(3));
        for (PipelineSpec spec : List.of(disturbed, undisturbed)) {
            watch(interest(spec, "alice", A, 5, PING));
        }
        confirmInterestsThrough(Network.LAYER1, Long.MAX_VALUE);
        for (long n = 1; n <= 40; n++) {
            send(block(n, log(A, PING), log(B, PING), log(A, PING)));
        }
        send(fork(41));
        send(fork(42));
        sourceAt(Network.LAYER1, 42);

        branches.apply(disturbed);
        String out = topics.names().out(disturbed.getPrefix());
        // block 39 is out once the source is at 42 (window 3): that commit holds 40, 41 and 42 of the fork
        readUntil(out, o -> o.getEnvelope().getBlockNumber() == 39);
        send(retraction(fork(42)));
        send(retraction(fork(41)));
        for (long n = 41; n <= 70; n++) {
            send(block(n, log(A, PING), log(B, PING), log(A, PING)));
        }
        sourceAt(Network.LAYER1, 70);

        awaitState(disturbed, PipelineState.DONE);
        assertThat(statusesOnTopic(disturbed.getPuuid())).as("it crashed at block 50 and was started again")
                .containsSubsequence(PipelineState.BACKFILL, PipelineState.ERROR, PipelineState.STARTING,
                        PipelineState.DONE);
        assertThat(branches.branch(disturbed.getPrefix()).orElseThrow().starts()).isEqualTo(2);
        branches.apply(undisturbed);
        awaitState(undisturbed, PipelineState.DONE);

        List<EventLogOutput> crashed = readUntil(out, o -> o.getBacktestEnd() != null);
        List<EventLogOutput> expected = readUntil(topics.names().out(undisturbed.getPrefix()),
                o -> o.getBacktestEnd() != null);
        assertThat(crashed).extracting(o -> o.getEnvelope().getBlockNumber(), o -> o.getEnvelope().getBlockHash(),
                        o -> o.getValue() == null ? null : o.getValue().getLogIndex(), o -> o.getEnvelope().getRemoved())
                .as("the same records in the same order as the undisturbed run")
                .containsExactlyElementsOf(expected.stream().map(o -> org.assertj.core.groups.Tuple.tuple(
                        o.getEnvelope().getBlockNumber(), o.getEnvelope().getBlockHash(),
                        o.getValue() == null ? null : o.getValue().getLogIndex(), o.getEnvelope().getRemoved())).toList());
        List<EventLogOutput> data = crashed.subList(0, crashed.size() - 1);
        assertThat(data).as("two watched logs of each canonical block 5..60, once")
                .hasSize(2 * 56)
                .extracting(o -> o.getEnvelope().getBlockHash())
                .doesNotContain(fork(41).getHash(), fork(42).getHash());
        assertThat(crashed.get(crashed.size() - 1).getBacktestEnd().getRecords()).isEqualTo(2 * 56);
    }

    @Test
    void aSpecTheRegistryCannotBuildIsAnErrorNamingWhy() {
        PipelineSpec spec = TestPipelines.live(registry, topics.names(), "event_log", Network.LAYER1, 1L);
        spec.setRegister("no_such_register");

        branches.apply(spec);

        assertThat(branches.status(spec.getPuuid()).orElseThrow().getState()).isEqualTo(PipelineState.ERROR);
        assertThat(branches.status(spec.getPuuid()).orElseThrow().getReason())
                .contains(spec.getPuuid()).contains("unknown register \"no_such_register\"");
    }

    private void awaitState(PipelineSpec spec, PipelineState state) {
        await().atMost(PATIENCE).untilAsserted(() ->
                assertThat(branches.status(spec.getPuuid())).map(PipelineStatus::getState).hasValue(state));
    }

    /** The source oracle of {@code network} reports its head, as it does on {@code <ns>.oracle-status}. */
    private void sourceAt(Network network, long head) {
        branches.sourceChanged(OracleHealth.newBuilder().setNetwork(network.label()).setRegister("geth_block")
                .setTopic(topics.blocks(network).name()).setState("LIVE").setOracleHead(head).setNodeHead(head)
                .setLag(0).setNodeErrors(0).setUpdatedAt(System.currentTimeMillis()).build());
    }

    /** Writes the control plane's {@link InterestHorizon} of {@code network} after what is on {@code <ns>.state}. */
    private void confirmInterestsThrough(Network network, long height) throws Exception {
        var state = topics.state();
        producer.send(new ProducerRecord<>(state.name(), InterestHorizon.key(network),
                ((Serializer<AddressInterest>) state.valueSerde().serializer()).serialize(state.name(),
                        InterestHorizon.record(network, height)))).get();
    }

    private void watch(AddressInterest interest) throws Exception {
        var state = topics.state();
        producer.send(new ProducerRecord<>(state.name(), TestPipelines.key(interest),
                ((Serializer<AddressInterest>) state.valueSerde().serializer()).serialize(state.name(), interest))).get();
    }

    private void send(Block block) throws Exception {
        String topic = topics.blocks(Network.LAYER1).name();
        producer.send(new ProducerRecord<>(topic, Long.toString(block.getNumber()), serializer().serialize(topic, block)))
                .get();
    }

    private void sendRaw(Network network, String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(topics.blocks(network).name(), key, value)).get();
    }

    private Serializer<Block> serializer() {
        return topics.blocks(Network.LAYER1).valueSerde().serializer();
    }

    /** Block {@code n} of another branch of the chain (other hashes), with a watched log. */
    private static Block fork(long n) {
        Block block = block(n, log(A, PING));
        return Block.newBuilder(block).setHash(TestBlocks.hash(n, "b")).setParentHash(TestBlocks.hash(n - 1, "b")).build();
    }

    private static Block layer2(Block block) {
        return Block.newBuilder(block).setNetwork("layer2").build();
    }

    /** Every record of {@code topic} (read_committed) up to the first one matching {@code last}. */
    private List<EventLogOutput> readUntil(String topic, Predicate<EventLogOutput> last) {
        Deserializer<EventLogOutput> values = topics.out("x", EventLogOutput.class).valueSerde().deserializer();
        List<EventLogOutput> read = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(readCommitted(), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            consumer.seekToBeginning(consumer.assignment());
            await().atMost(PATIENCE).until(() -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    EventLogOutput value = values.deserialize(topic, record.value());
                    read.add(value);
                    if (last.test(value)) {
                        return true;
                    }
                }
                return false;
            });
        }
        return read;
    }

    private List<ConsumerRecord<byte[], byte[]>> readRaw(String topic, int count) {
        List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(readCommitted(), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            consumer.seekToBeginning(consumer.assignment());
            await().atMost(PATIENCE).until(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(read::add);
                return read.size() >= count;
            });
        }
        return read;
    }

    private List<PipelineState> statusesOnTopic(String puuid) {
        var topic = topics.pipelineStatus();
        List<PipelineState> states = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(readCommitted(), new StringDeserializer(), topic.valueSerde().deserializer())) {
            var partition = new TopicPartition(topic.name(), 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(consumer.assignment());
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            await().atMost(PATIENCE).until(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(r -> {
                    if (r.key().equals(puuid)) {
                        states.add(r.value().getState());
                    }
                });
                return consumer.position(partition) >= end;
            });
        }
        return states;
    }

    private List<String> groups() throws ExecutionException, InterruptedException {
        return admin.listGroups().all().get().stream().map(g -> g.groupId()).toList();
    }

    private static Properties readCommitted() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return props;
    }
}
