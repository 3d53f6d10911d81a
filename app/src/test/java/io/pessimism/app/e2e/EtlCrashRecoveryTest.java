package io.pessimism.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pessimism.api.CreatePipelineRequest;
import io.pessimism.api.PipelineCreated;
import io.pessimism.app.blackbox.EtlProcess;
import io.pessimism.app.blackbox.Layer1Oracles;
import io.pessimism.app.service.OracleService;
import io.pessimism.avro.EventLogOutput;
import io.pessimism.client.PessimismClient;
import io.pessimism.schemaregistry.EmbeddedSchemaRegistry;
import io.pessimism.testkit.anvil.AnvilExtension;
import io.pessimism.testkit.chain.ChainDriver;
import io.pessimism.testkit.kafka.KafkaClusterExtension;
import io.pessimism.testkit.kafka.ProduceThrottle;
import io.pessimism.testkit.process.FreePort;
import io.pessimism.topic.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ETL service as a separate JVM, SIGKILLed twice while events stream through a live event_log
 * pipeline and restarted each time on the same state directory: a risk engine reading {@code .out}
 * with {@code read_committed} sees every emitted Ping exactly once, compared by
 * (blockHash, logIndex) with the receipts' logs. Each kill waits until the instance has committed,
 * then holds every client's writes with a produce quota until it has an open transaction on
 * {@code .out} (its high watermark above its last stable offset);
 * the aborted records found after show the kills struck there. The GethBlock oracle runs in this
 * JVM and is never interrupted, so any loss or duplicate is the ETL's.
 */
class EtlCrashRecoveryTest {

    private static final Logger log = LoggerFactory.getLogger(EtlCrashRecoveryTest.class);

    private static final String NAMESPACE = "crash";
    private static final String OWNER = "risk-engine";
    private static final String PING = "Ping(address,uint256)";
    private static final String WHO = "0x00000000000000000000000000000000000000aa";
    private static final int PINGS_PER_BLOCK = 4;
    private static final int KILLS = 2;
    /** Unthrottled, the branch's transactions last milliseconds; held to this rate, seconds. */
    private static final long THROTTLE_BYTES_PER_SECOND = 2_000;

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleNode();

    @RegisterExtension
    static final AnvilExtension LAYER1 = AnvilExtension.create();

    @TempDir
    Path tmp;

    @Test
    void sigkilledTwiceMidStreamTheEtlLosesAndDuplicatesNothing() throws Exception {
        int apiPort = FreePort.allocate();
        String apiUrl = "http://127.0.0.1:" + apiPort;
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.builder()
                .bootstrapServers(KAFKA.bootstrapServers()).storeTopic(new TopicNames(NAMESPACE).schemas()).port(0).replicationFactor(1)
                .build().start();
             ChainDriver chain = ChainDriver.connect(LAYER1.httpUrl());
             Admin admin = KAFKA.cluster().admin();
             OracleService oracles = Layer1Oracles.start(Layer1Oracles.config(NAMESPACE,
                     KAFKA.bootstrapServers(), registry.url(), LAYER1.httpUrl()))) {
            String contract = chain.deployEmitter();
            EtlProcess etl = EtlProcess.start(KAFKA.bootstrapServers(), registry.url(), NAMESPACE, apiPort, tmp, List.of());
            PingStream emitter = null;
            try {
                PipelineCreated pipeline = PessimismClient.create(apiUrl, Optional.empty()).createPipeline(
                        new CreatePipelineRequest("layer1", "live", "event_log", null, null, OWNER,
                                List.of(new CreatePipelineRequest.Interest(contract, List.of(PING)))));
                OutTopicReader<EventLogOutput> out = new OutTopicReader<>(KAFKA.bootstrapServers(), registry.url(),
                        EventLogOutput.class);
                String topic = pipeline.topic();

                emitter = PingStream.start(chain, contract, WHO, PINGS_PER_BLOCK);
                await("the branch starts and emits").atMost(Duration.ofSeconds(60)).ignoreExceptions()
                        .until(() -> !out.readAll(topic).isEmpty());
                List<String> kills = new ArrayList<>();
                int committedAtKill = -1;
                try (ProduceThrottle throttle = ProduceThrottle.everyClient(KAFKA.bootstrapServers())) {
                    for (int kill = 1; kill <= KILLS; kill++) {
                        int before = committedAtKill;
                        // this instance committed (the killed one's transaction is decided) ...
                        await("the branch commits before SIGKILL " + kill).atMost(Duration.ofSeconds(60))
                                .ignoreExceptions().until(() -> out.readAll(topic).size() > before);
                        // ... then its writes are held back (a produce quota), so its next transaction stays open
                        throttle.limit(THROTTLE_BYTES_PER_SECOND);
                        OutState<EventLogOutput> state = await("the branch writes inside an open transaction before "
                                + "SIGKILL " + kill).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                                .ignoreExceptions().until(() -> OutState.of(out, admin, topic), OutState::open);
                        etl.kill();
                        throttle.lift();
                        committedAtKill = state.committed().size();
                        kills.add("kill " + kill + ": " + state);
                        etl = EtlProcess.start(KAFKA.bootstrapServers(), registry.url(), NAMESPACE, apiPort, tmp,
                                List.of());
                    }
                }
                int afterLastRestart = out.readAll(topic).size();
                await("the restarted branch emits again while events still flow").atMost(Duration.ofSeconds(60))
                        .until(() -> out.readAll(topic).size() > afterLastRestart);
                List<String> expected = emitter.stopAndCollect();

                await("every emitted Ping reaches .out").atMost(Duration.ofSeconds(60))
                        .until(() -> PingStream.keys(out.readAll(topic)).containsAll(expected));
                List<EventLogOutput> records = out.readAll(topic);
                log.info("{} Pings emitted in {} blocks; .out holds {} committed records and {} in total "
                        + "(the rest from transactions the SIGKILLs left open, aborted)", expected.size(),
                        emitter.blocks(), records.size(), out.readKeyed(topic, IsolationLevel.READ_UNCOMMITTED).size());
                assertThat(PingStream.keys(records)).as("(blockHash, logIndex) of .out versus the receipts' logs: "
                        + "nothing lost, nothing duplicated").containsExactlyInAnyOrderElementsOf(expected);
                assertThat(records).allSatisfy(r -> {
                    assertThat(r.getEnvelope().getOwners()).containsExactly(OWNER);
                    assertThat(r.getEnvelope().getRemoved()).isFalse();
                    assertThat(r.getValue().getAddress()).isEqualTo(contract);
                });
                assertThat(expected).as("events spread over many blocks")
                        .hasSizeGreaterThan(10 * PINGS_PER_BLOCK);
                assertThat(out.readKeyed(topic, IsolationLevel.READ_UNCOMMITTED)).as("aborted records: the kills "
                        + "struck inside open transactions (%s)", kills).hasSizeGreaterThan(records.size());
            } catch (Throwable failure) {
                failure.addSuppressed(new AssertionError("chain head " + chain.blockNumber() + ", "
                        + (emitter == null ? "no emitter" : emitter.describe()) + "; last lines of the ETL's log "
                        + etl.process().logFile() + ":\n" + etl.process().logTail()));
                throw failure;
            } finally {
                if (emitter != null) {
                    emitter.stop();
                }
                etl.stop();
            }
        }
    }
}
