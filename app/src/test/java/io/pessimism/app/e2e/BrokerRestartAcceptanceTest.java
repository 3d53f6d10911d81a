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
import io.pessimism.testkit.kafka.KafkaProcess;
import io.pessimism.testkit.process.FreePort;
import io.pessimism.topic.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker itself stops mid-stream: a KRaft broker as its own process under a live event_log
 * pipeline (the oracles in this JVM, the ETL in its own), stopped (controlled shutdown) while
 * Pings keep being mined, and started again on the same data and ports after the chain has moved
 * on without it. The oracles and the ETL ride it out; a risk engine reading {@code .out}
 * {@code read_committed} then has every Ping exactly once, the receipts' logs by
 * (blockHash, logIndex), including those mined while the broker was down.
 */
class BrokerRestartAcceptanceTest {

    private static final Logger log = LoggerFactory.getLogger(BrokerRestartAcceptanceTest.class);

    @RegisterExtension
    static final AnvilExtension LAYER1 = AnvilExtension.create();

    private static final String NAMESPACE = "brk";
    private static final String OWNER = "risk-engine";
    private static final String WHO = "0x00000000000000000000000000000000000000bb";
    private static final int PINGS_PER_BLOCK = 3;
    /** Blocks mined while the broker is down. */
    private static final int BLOCKS_WHILE_DOWN = 10;
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path tmp;

    @Test
    void aBrokerStoppedMidStreamAndStartedAgainLosesAndDuplicatesNothing() throws Exception {
        int apiPort = FreePort.allocate();
        try (KafkaProcess kafka = KafkaProcess.create(tmp.resolve("kafka")).start();
             EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.builder()
                     .bootstrapServers(kafka.bootstrapServers()).storeTopic(new TopicNames(NAMESPACE).schemas())
                     .port(0).replicationFactor(1).build().start();
             ChainDriver chain = ChainDriver.connect(LAYER1.httpUrl());
             OracleService oracles = Layer1Oracles.start(Layer1Oracles.config(NAMESPACE, kafka.bootstrapServers(),
                     registry.url(), LAYER1.httpUrl()))) {
            String contract = chain.deployEmitter();
            EtlProcess etl = EtlProcess.start(kafka.bootstrapServers(), registry.url(), NAMESPACE, apiPort, tmp,
                    List.of());
            PingStream pings = null;
            try {
                PipelineCreated pipeline = PessimismClient.create(etl.apiUrl(), Optional.empty()).createPipeline(
                        new CreatePipelineRequest("layer1", "live", "event_log", null, null, OWNER,
                                List.of(new CreatePipelineRequest.Interest(contract, List.of("Ping(address,uint256)")))));
                OutTopicReader<EventLogOutput> out = new OutTopicReader<>(kafka.bootstrapServers(), registry.url(),
                        EventLogOutput.class);
                String topic = pipeline.topic();
                pings = PingStream.start(chain, contract, WHO, PINGS_PER_BLOCK);
                await("Pings reach .out before the broker stops").atMost(WAIT).ignoreExceptions()
                        .until(() -> out.readAll(topic).size() >= 5 * PINGS_PER_BLOCK);

                kafka.stop();
                int minedBefore = pings.blocks();
                PingStream stream = pings;
                await("the chain moves on while the broker is down").atMost(WAIT)
                        .until(() -> stream.blocks() >= minedBefore + BLOCKS_WHILE_DOWN || !stream.running());
                assertThat(kafka.isRunning()).as("still down while those blocks were mined").isFalse();
                kafka.start();
                log.info("broker down while {} blocks were mined; back on {}", pings.blocks() - minedBefore,
                        kafka.bootstrapServers());

                int afterRestart = out.readAll(topic).size();
                await("Pings reach .out again after the broker is back").atMost(WAIT)
                        .until(() -> out.readAll(topic).size() > afterRestart + PINGS_PER_BLOCK);
                List<String> expected = pings.stopAndCollect();
                await("every emitted Ping reaches .out").atMost(WAIT)
                        .until(() -> PingStream.keys(out.readAll(topic)).containsAll(expected));
                List<EventLogOutput> records = out.readAll(topic);
                assertThat(PingStream.keys(records)).as("(blockHash, logIndex) of .out versus the receipts' logs: "
                        + "nothing lost, nothing duplicated").containsExactlyInAnyOrderElementsOf(expected);
                assertThat(records).allSatisfy(r -> assertThat(r.getEnvelope().getOwners()).containsExactly(OWNER));
            } catch (Throwable failure) {
                failure.addSuppressed(new AssertionError("chain head " + chain.blockNumber() + ", "
                        + (pings == null ? "no emitter" : pings.describe()) + "; the ETL's log "
                        + etl.process().logFile() + ":\n" + etl.process().logTail()));
                throw failure;
            } finally {
                if (pings != null) {
                    pings.stop();
                }
                etl.stop();
            }
        }
    }
}
