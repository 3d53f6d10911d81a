package io.pessimism.app.e2e;

import static io.pessimism.testkit.chain.Emitter.PING_SIGNATURE;
import static io.pessimism.testkit.chain.Emitter.PING_TOPIC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pessimism.api.CreatePipelineRequest;
import io.pessimism.api.CreatePipelineRequest.Interest;
import io.pessimism.api.PipelineCreated;
import io.pessimism.api.PipelineView;
import io.pessimism.client.PessimismClient;
import io.pessimism.client.PipelineOutput;
import io.pessimism.schemaregistry.EmbeddedSchemaRegistry;
import io.pessimism.schemaregistry.RestSchemaRegistryClient;
import io.pessimism.testkit.anvil.AnvilExtension;
import io.pessimism.testkit.chain.ChainDriver;
import io.pessimism.testkit.kafka.KafkaClusterExtension;
import io.pessimism.topic.TopicNames;
import io.pessimism.topic.Topics;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * The seed's collision analysis end to end (real broker, anvil, oracles, ETL, REST): a live
 * pipeline created below the head backfills on a branch of its own, catches up, and is merged
 * into the identical shared live pipeline at a fence; its owner and interest move there, and a
 * risk engine reading its output with {@link PipelineOutput} (which follows the marker) sees every
 * event once, before and after the hand-off.
 */
class MergeAcceptanceTest {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleNode();

    @RegisterExtension
    static final AnvilExtension ANVIL = AnvilExtension.create();

    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final String WHO = "0x00000000000000000000000000000000000000a1";

    @TempDir
    Path stateRoot;

    @Test
    void aCaughtUpBackfillIsMergedAtAFenceAndItsReaderSeesEveryEventOnce() {
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.builder()
                .bootstrapServers(KAFKA.bootstrapServers()).storeTopic(new TopicNames("merge-registry").schemas())
                .port(0).replicationFactor(1).build().start();
             ChainDriver chain = ChainDriver.connect(ANVIL.httpUrl());
             EtlStack stack = EtlStack.start("merge", new EtlStack.Endpoints(KAFKA.bootstrapServers(), registry.url(),
                     ANVIL.httpUrl(), ANVIL.wsUrl()), stateRoot, Map.of("networks.layer1.reorg-window", "3"))) {
            PessimismClient client = PessimismClient.create(stack.startEtl("a").apiUrl(), Optional.empty());
            String contract = chain.deployEmitter();
            AtomicLong value = new AtomicLong();
            List<TransactionReceipt> receipts = new ArrayList<>();
            for (int i = 0; i < 6; i++) { // history before either pipeline
                receipts.add(chain.emitPing(contract, WHO, BigInteger.valueOf(value.incrementAndGet())));
            }
            long historyStart = receipts.get(0).getBlockNumber().longValueExact();

            PipelineCreated shared = client.createPipeline(new CreatePipelineRequest("layer1", "live", "event_log",
                    null, null, "live-owner", List.of(new Interest(contract, List.of(PING_SIGNATURE)))));
            await("the shared pipeline runs").atMost(PATIENCE)
                    .until(() -> state(client, shared.puuid()), "live"::equals);
            stack.awaitOraclesLive(PATIENCE);

            PipelineCreated backfill = client.createPipeline(new CreatePipelineRequest("layer1", "live", "event_log",
                    historyStart, null, "backfill-owner", List.of(new Interest(contract, List.of(PING_SIGNATURE)))));
            assertThat(backfill.puuid()).as("below the head: a pipeline of its own").isNotEqualTo(shared.puuid());
            assertThat(backfill.topic()).isNotEqualTo(shared.topic());

            // events keep coming while it backfills, catches up and is fenced (the fence is final 3 blocks on)
            List<String> states = new ArrayList<>();
            await("the backfill is merged into the shared pipeline").atMost(PATIENCE)
                    .pollInterval(Duration.ofMillis(300)).until(() -> {
                        receipts.add(chain.emitPing(contract, WHO, BigInteger.valueOf(value.incrementAndGet())));
                        String now = state(client, backfill.puuid());
                        if (states.isEmpty() || !states.get(states.size() - 1).equals(now)) {
                            states.add(now);
                        }
                        return "merged".equals(now);
                    });
            assertThat(states).as("it backfilled, caught up, then merged").containsSubsequence("live", "merged")
                    .doesNotContain("error");

            PipelineView p0 = client.showPipeline(shared.puuid());
            assertThat(p0.owners()).as("its owner joined the shared pipeline").contains("backfill-owner");
            PipelineView p1 = client.showPipeline(backfill.puuid());
            assertThat(p1.desiredState()).isEqualTo("merged");
            for (int i = 0; i < 4; i++) { // after the hand-off
                receipts.add(chain.emitPing(contract, WHO, BigInteger.valueOf(value.incrementAndGet())));
            }
            List<ChainLog> expected = receipts.stream().flatMap(r -> r.getLogs().stream()).map(ChainLog::of)
                    .filter(log -> log.topics().get(0).equals(PING_TOPIC)).toList();

            Topics topics = new Topics(new TopicNames("merge"), new RestSchemaRegistryClient(registry.url()), -1);
            List<ChainLog> read = MergedOutput.readThrough(KAFKA.bootstrapServers(), topics, backfill.topic(),
                    "backfill-owner", expected.get(expected.size() - 1), shared.puuid(), PATIENCE);
            assertThat(read).as("every event from the backfill's start, once, in chain order, across the hand-off")
                    .containsExactlyElementsOf(expected);
        }
    }

    private static String state(PessimismClient client, String puuid) {
        PipelineView view = client.showPipeline(puuid);
        return view.status() == null ? view.state() : view.status().state();
    }
}
