package io.pessimism.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pessimism.api.CreatePipelineRequest;
import io.pessimism.api.PipelineCreated;
import io.pessimism.app.blackbox.EtlProcess;
import io.pessimism.app.blackbox.OraclesProcess;
import io.pessimism.avro.EventLogOutput;
import io.pessimism.client.PessimismClient;
import io.pessimism.network.Network;
import io.pessimism.schemaregistry.EmbeddedSchemaRegistry;
import io.pessimism.testkit.anvil.AnvilExtension;
import io.pessimism.testkit.chain.ChainDriver;
import io.pessimism.testkit.chain.Emitter;
import io.pessimism.testkit.kafka.KafkaClusterExtension;
import io.pessimism.testkit.process.FreePort;
import io.pessimism.topic.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reduced chaos run (issue 14): the layer1 oracles and the ETL each in their own JVM
 * ({@code -Xmx256m}); a live event_log pipeline from block 1 backfills {@value #BLOCKS} blocks
 * with Pings while the oracles backfill them from the node, then follows live traffic; meanwhile
 * {@value #KILLS} SIGKILLs at seeded random moments, each of a randomly chosen service, each
 * followed by a restart. An independent checker, {@code eth_getLogs} on the node and a plain
 * {@code read_committed} consumer on {@code .out}, asserts every Ping exactly once, in order.
 * Longer runs: {@code -Dpessimism.chaos.kills=N -Dpessimism.chaos.blocks=N}; a failure prints its
 * seed, and {@code -Dpessimism.chaos.seed=S} runs those moments again.
 */
class ChaosRunTest {

    private static final Logger log = LoggerFactory.getLogger(ChaosRunTest.class);

    private static final int KILLS = Integer.getInteger("pessimism.chaos.kills", 10);
    private static final int BLOCKS = Integer.getInteger("pessimism.chaos.blocks", 2_000);
    private static final String NAMESPACE = "chaos";
    private static final String HEAP = "256m";
    private static final String OWNER = "risk-engine";
    private static final String WHO = "0x00000000000000000000000000000000000000cc";
    /** The longest random pause between a service being ready and the next kill. */
    private static final long MAX_PAUSE_MILLIS = 3_000;

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleNode();

    @RegisterExtension
    static final AnvilExtension LAYER1 = AnvilExtension.create();

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES) // ten JVM restarts and a backfill: longer than the suite's 5
    void sigkillsAtRandomMomentsOfTheOraclesAndTheEtlLoseAndDuplicateNoPing() throws Exception {
        long seed = Long.getLong("pessimism.chaos.seed", System.nanoTime());
        Random random = new Random(seed);
        int apiPort = FreePort.allocate();
        int oraclesPort = FreePort.allocate();
        String apiUrl = "http://127.0.0.1:" + apiPort;
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.builder()
                .bootstrapServers(KAFKA.bootstrapServers()).storeTopic(new TopicNames(NAMESPACE).schemas()).port(0)
                .replicationFactor(1).build().start();
             ChainDriver chain = ChainDriver.connect(LAYER1.httpUrl());
             Admin admin = KAFKA.cluster().admin()) {
            String contract = chain.deployEmitter();
            chain.fillBlocks(contract, WHO, BLOCKS, 1);
            long filled = chain.blockNumber();
            EtlProcess etl = EtlProcess.start(HEAP, KAFKA.bootstrapServers(), registry.url(), NAMESPACE, apiPort, tmp,
                    List.of());
            OraclesProcess oracles = null;
            PingStream live = null;
            Map<String, Integer> kills = new HashMap<>();
            int midTransaction = 0;
            try {
                PipelineCreated pipeline = PessimismClient.create(apiUrl, Optional.empty()).createPipeline(
                        new CreatePipelineRequest("layer1", "live", "event_log", 1L, null, OWNER,
                                List.of(new CreatePipelineRequest.Interest(contract,
                                        List.of(Emitter.PING_SIGNATURE)))));
                String out = pipeline.topic();
                String blocks = new TopicNames(NAMESPACE).registerTopic(Network.LAYER1, "geth_block");
                oracles = startOracles(registry, oraclesPort);
                for (int kill = 1; kill <= KILLS; kill++) {
                    if (live == null && kill > KILLS / 2) {
                        live = PingStream.start(chain, contract, WHO, 2); // the second half strikes live traffic
                    }
                    // the random moment of this kill: chaos, not a wait for anything
                    TimeUnit.MILLISECONDS.sleep(random.nextLong(MAX_PAUSE_MILLIS));
                    boolean killEtl = random.nextBoolean();
                    String victim = killEtl ? "etl" : "oracles";
                    boolean open = OutState.openTransaction(admin, killEtl ? out : blocks);
                    if (killEtl) {
                        etl.kill();
                        etl = EtlProcess.start(HEAP, KAFKA.bootstrapServers(), registry.url(), NAMESPACE, apiPort, tmp,
                                List.of());
                    } else {
                        oracles.kill();
                        oracles = startOracles(registry, oraclesPort);
                    }
                    kills.merge(victim, 1, Integer::sum);
                    midTransaction += open ? 1 : 0;
                    log.info("chaos kill {} of {}: {}{}", kill, KILLS, victim,
                            open ? ", inside an open transaction" : "");
                }
                List<String> streamed = live.stopAndCollect();
                long head = chain.blockNumber();
                List<String> expected = PingStream.onTheNode(chain, contract, head);
                assertThat(expected).as("the node's Pings include every streamed one").containsAll(streamed);
                assertThat(expected).as("backfill and live traffic").hasSizeGreaterThan(BLOCKS);

                OutTopicReader<EventLogOutput> reader = new OutTopicReader<>(KAFKA.bootstrapServers(), registry.url(),
                        EventLogOutput.class);
                await("every Ping of blocks 1.." + head + " reaches .out").atMost(Duration.ofMinutes(3))
                        .pollInterval(Duration.ofSeconds(1))
                        .until(() -> PingStream.keys(reader.readAll(out)).containsAll(expected));
                List<EventLogOutput> records = reader.readAll(out);
                log.info("chaos run (seed {}): {} blocks filled, head {}, kills {} ({} inside an open transaction), "
                        + "{} Pings, {} committed records on .out", seed, filled, head, kills, midTransaction,
                        expected.size(), records.size());
                assertThat(PingStream.keys(records)).as("nothing lost, nothing duplicated (seed %d, kills %s)", seed,
                        kills).containsExactlyElementsOf(expected);
                assertThat(records).allSatisfy(r -> {
                    assertThat(r.getEnvelope().getRemoved()).isFalse();
                    assertThat(r.getEnvelope().getOwners()).containsExactly(OWNER);
                });
                assertThat(kills.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(KILLS);
            } catch (Throwable failure) {
                failure.addSuppressed(new AssertionError("seed " + seed + ", kills " + kills + "; chain head "
                        + chain.blockNumber() + "; ETL log " + etl.process().logFile() + ":\n"
                        + etl.process().logTail()
                        + (oracles == null ? "" : "\noracles log " + oracles.process().logFile() + ":\n"
                        + oracles.process().logTail())));
                throw failure;
            } finally {
                if (live != null) {
                    live.stop();
                }
                etl.stop();
                if (oracles != null) {
                    oracles.stop();
                }
            }
        }
    }

    private OraclesProcess startOracles(EmbeddedSchemaRegistry registry, int port) {
        return OraclesProcess.start(HEAP, KAFKA.bootstrapServers(), registry.url(), NAMESPACE, LAYER1.httpUrl(), port,
                tmp.resolve("oracles.log"));
    }
}
