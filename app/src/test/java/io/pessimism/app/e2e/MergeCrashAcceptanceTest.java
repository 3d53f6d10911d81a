package io.pessimism.app.e2e;

import static io.pessimism.testkit.chain.Emitter.PING_SIGNATURE;
import static io.pessimism.testkit.chain.Emitter.PING_TOPIC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pessimism.api.CreatePipelineRequest;
import io.pessimism.api.CreatePipelineRequest.Interest;
import io.pessimism.api.PipelineCreated;
import io.pessimism.api.PipelineView;
import io.pessimism.app.blackbox.EtlProcess;
import io.pessimism.app.blackbox.Layer1Oracles;
import io.pessimism.app.service.OracleService;
import io.pessimism.avro.AddressInterest;
import io.pessimism.avro.Block;
import io.pessimism.avro.EventLogOutput;
import io.pessimism.client.PessimismClient;
import io.pessimism.client.PipelineOutput;
import io.pessimism.config.PessimismConfig;
import io.pessimism.interest.MergeFence;
import io.pessimism.network.Network;
import io.pessimism.schemaregistry.EmbeddedSchemaRegistry;
import io.pessimism.testkit.anvil.AnvilExtension;
import io.pessimism.testkit.chain.ChainDriver;
import io.pessimism.testkit.kafka.KafkaClusterExtension;
import io.pessimism.testkit.kafka.ProduceThrottle;
import io.pessimism.testkit.process.FreePort;
import io.pessimism.topic.TopicNames;
import io.pessimism.topic.Topics;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * The seed's collision analysis through two SIGKILLs of the ETL (its own JVM, restarted on the
 * same state directory): one inside an open transaction of the backfilling pipeline (every
 * client's produce rate held, as in {@link BacktestCrashAcceptanceTest}), one after the control
 * plane fenced the caught-up backfill for its merge and before the merge completed (the chain
 * stands still meanwhile, so the backfill cannot pass its fence: the kill lands between the
 * fence and the {@code MergedInto} marker). The backfill is still merged, its owner moved, and a
 * risk engine reading its output with {@link PipelineOutput} sees every Ping from its start once,
 * in chain order, across the hand-off.
 */
class MergeCrashAcceptanceTest {

    private static final Logger log = LoggerFactory.getLogger(MergeCrashAcceptanceTest.class);

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleNode();

    @RegisterExtension
    static final AnvilExtension ANVIL = AnvilExtension.create();

    private static final String NAMESPACE = "mgkill";
    private static final String WHO = "0x00000000000000000000000000000000000000c3";
    private static final int HISTORY_BLOCKS = 120;
    private static final int PINGS_PER_BLOCK = 2;
    /** A backfill's transaction is a few KB (no changelogs): at this rate each stays open for seconds. */
    private static final long THROTTLE_BYTES_PER_SECOND = 2_000;
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path tmp;

    @Test
    void sigkilledWhileItBackfillsAndBetweenItsFenceAndItsMergeABackfillIsMergedAndReadOnceThrough() throws Exception {
        int apiPort = FreePort.allocate();
        PessimismClient client = PessimismClient.create("http://127.0.0.1:" + apiPort, Optional.empty());
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.builder()
                .bootstrapServers(KAFKA.bootstrapServers()).storeTopic(new TopicNames(NAMESPACE).schemas()).port(0)
                .replicationFactor(1).build().start();
             ChainDriver chain = ChainDriver.connect(ANVIL.httpUrl());
             Admin admin = KAFKA.cluster().admin();
             OracleService oracles = Layer1Oracles.start(oracleConfig(registry.url()))) {
            Topics topics = Layer1Oracles.topics(oracleConfig(registry.url()));
            String contract = chain.deployEmitter();
            List<TransactionReceipt> receipts = new ArrayList<>(chain.fillBlocks(contract, WHO, HISTORY_BLOCKS,
                    PINGS_PER_BLOCK));
            long historyStart = receipts.get(0).getBlockNumber().longValueExact();
            long head = chain.blockNumber();
            new OutTopicReader<>(KAFKA.bootstrapServers(), registry.url(), Block.class).awaitRecord(
                    topics.blocks(Network.LAYER1).name(), "block " + head, b -> b.getNumber() == head, WAIT);

            List<String> settings = List.of("networks.layer1.reorg-window=3");
            EtlProcess etl = EtlProcess.start(KAFKA.bootstrapServers(), registry.url(), NAMESPACE, apiPort, tmp,
                    settings);
            try {
                PipelineCreated shared = client.createPipeline(new CreatePipelineRequest("layer1", "live", "event_log",
                        null, null, "live-owner", List.of(new Interest(contract, List.of(PING_SIGNATURE)))));
                await("the shared pipeline runs").atMost(WAIT).until(() -> state(client, shared.puuid()), "live"::equals);

                OutTopicReader<EventLogOutput> out = new OutTopicReader<>(KAFKA.bootstrapServers(), registry.url(),
                        EventLogOutput.class);
                PipelineCreated backfill;
                try (ProduceThrottle throttle = ProduceThrottle.everyClient(KAFKA.bootstrapServers())) {
                    throttle.limit(THROTTLE_BYTES_PER_SECOND);
                    backfill = client.createPipeline(new CreatePipelineRequest("layer1", "live", "event_log",
                            historyStart, null, "backfill-owner",
                            List.of(new Interest(contract, List.of(PING_SIGNATURE)))));
                    assertThat(backfill.puuid()).as("below the head: a branch of its own").isNotEqualTo(shared.puuid());
                    OutState<EventLogOutput> backfilling = await("the backfill writes inside an open transaction")
                            .atMost(WAIT).pollInterval(Duration.ofMillis(50))
                            .ignoreExceptions() // .out does not exist until the branch starts
                            .until(() -> OutState.of(out, admin, backfill.topic()), OutState::open);
                    etl.kill();
                    log.info("kill 1, while backfilling: {}", backfilling);
                    assertThat(backfilling.committed()).as("killed before the backfill's first %d Pings are out",
                            HISTORY_BLOCKS * PINGS_PER_BLOCK).hasSizeLessThan(HISTORY_BLOCKS * PINGS_PER_BLOCK);
                    throttle.lift();
                }
                etl = EtlProcess.start(KAFKA.bootstrapServers(), registry.url(), NAMESPACE, apiPort, tmp, settings);

                OutTopicReader<AddressInterest> state = new OutTopicReader<>(KAFKA.bootstrapServers(), registry.url(),
                        AddressInterest.class);
                // caught up with a chain standing still, it is fenced; it cannot pass its fence until blocks come
                AddressInterest fence = await("the control plane fences the caught-up backfill").atMost(WAIT)
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> fenceOf(state, topics, backfill.puuid()), Optional::isPresent).orElseThrow();
                List<EventLogOutput> beforeMerge = out.readAll(backfill.topic());
                assertThat(beforeMerge).as("no MergedInto marker yet").allSatisfy(r -> assertThat(r.getMergedInto()).isNull());
                etl.kill();
                log.info("kill 2, fenced at {} and not merged: {} records committed", fence, beforeMerge.size());
                etl = EtlProcess.start(KAFKA.bootstrapServers(), registry.url(), NAMESPACE, apiPort, tmp, settings);

                AtomicLong value = new AtomicLong(1_000_000);
                await("the backfill is merged into the shared pipeline").atMost(WAIT)
                        .pollInterval(Duration.ofMillis(300)).ignoreExceptions().until(() -> {
                            receipts.add(chain.emitPing(contract, WHO, BigInteger.valueOf(value.incrementAndGet())));
                            return "merged".equals(state(client, backfill.puuid()));
                        });
                assertThat(client.showPipeline(shared.puuid()).owners()).as("its owner joined the shared pipeline")
                        .contains("backfill-owner");
                for (int i = 0; i < 4; i++) { // after the hand-off
                    receipts.add(chain.emitPing(contract, WHO, BigInteger.valueOf(value.incrementAndGet())));
                }
                List<ChainLog> expected = receipts.stream().flatMap(r -> r.getLogs().stream()).map(ChainLog::of)
                        .filter(l -> l.topics().get(0).equals(PING_TOPIC)).toList();

                List<ChainLog> read = MergedOutput.readThrough(KAFKA.bootstrapServers(), topics, backfill.topic(),
                        "backfill-owner", expected.get(expected.size() - 1), shared.puuid(), WAIT);
                assertThat(read).as("every Ping from the backfill's start, once, in chain order, across both kills "
                        + "and the hand-off").containsExactlyElementsOf(expected);
            } finally {
                etl.stop();
            }
        }
    }

    /** The merge fence of {@code puuid} on {@code <ns>.state} (its last record under the fence's key), if any. */
    private static Optional<AddressInterest> fenceOf(OutTopicReader<AddressInterest> state, Topics topics,
            String puuid) {
        String key = MergeFence.key(puuid);
        AddressInterest last = null;
        for (OutTopicReader.Keyed<AddressInterest> record : state.readKeyed(topics.state().name())) {
            if (record.key().equals(key)) {
                last = record.value(); // null: withdrawn
            }
        }
        return Optional.ofNullable(last);
    }

    private static String state(PessimismClient client, String puuid) {
        PipelineView view = client.showPipeline(puuid);
        return view.status() == null ? view.state() : view.status().state();
    }

    private static PessimismConfig oracleConfig(String registryUrl) {
        return Layer1Oracles.config(NAMESPACE, KAFKA.bootstrapServers(), registryUrl, ANVIL.httpUrl());
    }
}
