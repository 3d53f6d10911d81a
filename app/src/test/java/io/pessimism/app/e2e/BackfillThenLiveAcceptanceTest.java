package io.pessimism.app.e2e;

import static io.pessimism.testkit.chain.Emitter.PING_SIGNATURE;
import static io.pessimism.testkit.chain.Emitter.PING_TOPIC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pessimism.api.CreatePipelineRequest;
import io.pessimism.api.CreatePipelineRequest.Interest;
import io.pessimism.api.PipelineCreated;
import io.pessimism.api.PipelineView;
import io.pessimism.app.e2e.Blocks.Call;
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
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * A live {@code event_log} pipeline created through {@code POST /v1/pipelines} with a start height
 * below the head, on a KRaft broker, anvil and the stack {@code pessimism dev} runs: its status is
 * {@code backfill} while it reads the history, then {@code live}; its {@code .out} holds every
 * watched event from the start height on, in block order, none missing and none twice, across the
 * hand-off from history to new blocks. Events are held against the receipts' logs.
 */
class BackfillThenLiveAcceptanceTest {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleNode();

    @RegisterExtension
    static final AnvilExtension ANVIL = AnvilExtension.create();

    /** Up to: the branch starting (topics, start position, rebalance), then the history through the pipe. */
    private static final Duration PHASE = Duration.ofSeconds(45);
    /** Empty blocks in the history, so reading it takes the branch more than a moment (anvil mines ~150-500 a second). */
    private static final int EMPTY_HISTORY = 500;
    private static final String WHO = "0x00000000000000000000000000000000000000a1";

    @TempDir
    Path stateRoot;

    private final List<TransactionReceipt> receipts = new ArrayList<>();
    private final List<String> statesSeen = new ArrayList<>();

    @Test
    void aLivePipelineFromBelowTheHeadBackfillsThenGoesLiveWithEveryEventFromItsStartOnceInBlockOrder() {
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.builder().bootstrapServers(KAFKA.bootstrapServers())
                .storeTopic(new TopicNames("bfl-registry").schemas()).port(0).replicationFactor(1).build().start();
             ChainDriver chain = ChainDriver.connect(ANVIL.httpUrl());
             EtlStack stack = EtlStack.start("bfl", new EtlStack.Endpoints(KAFKA.bootstrapServers(), registry.url(),
                     ANVIL.httpUrl(), ANVIL.wsUrl()), stateRoot)) {
            PessimismClient client = PessimismClient.create(stack.startEtl("a").apiUrl(), Optional.empty());
            OutTopicReader<EventLogOutput> reader = new OutTopicReader<>(KAFKA.bootstrapServers(), registry.url(),
                    EventLogOutput.class);
            String emitter = chain.deployEmitter();
            String other = chain.deployEmitter();
            for (int round = 0; round < 4; round++) {
                mineWithEvents(chain, emitter, other); // blocks 3..6, the first before the start
            }
            chain.mine(EMPTY_HISTORY);
            for (int round = 0; round < 2; round++) {
                mineWithEvents(chain, emitter, other);
            }
            long start = 4;
            long head = chain.blockNumber();

            PipelineCreated pipeline = client.createPipeline(new CreatePipelineRequest("layer1", "live", "event_log",
                    start, null, "owner-b", List.of(new Interest(emitter, List.of(PING_SIGNATURE)))));
            assertThat(pipeline.reused()).isFalse();
            assertThat(pipeline.topic()).as("a backfill is never shared: its prefix has the PUUID's digits")
                    .matches("bfl\\.live\\.layer1-event_log\\.layer1-geth_block\\.[0-9a-f]{32}\\.out");
            PipelineView backfilling = awaitState(client, pipeline, "backfill");
            mineWithEvents(chain, emitter, other); // while it backfills, or just after
            PipelineView live = awaitState(client, pipeline, "live");
            mineWithEvents(chain, emitter, other);
            mineWithEvents(chain, emitter, other);

            assertThat(statesSeen).as("the states seen, polling: backfill, then live for good")
                    .containsSubsequence("backfill", "live").endsWith("live")
                    .isSubsetOf("starting", "backfill", "live");
            assertThat(statesSeen.indexOf("live")).isGreaterThan(statesSeen.lastIndexOf("backfill"));
            assertThat(backfilling.status().headHeight()).as("the head is known while it backfills").isNotNull();
            assertThat(live.status().height()).as("live once its height reached the head")
                    .isGreaterThanOrEqualTo(head);

            List<ChainLog> expected = receipts.stream().flatMap(r -> r.getLogs().stream()).map(ChainLog::of)
                    .filter(log -> log.address().equals(emitter) && log.topics().get(0).equals(PING_TOPIC)
                            && log.blockNumber() >= start)
                    .toList();
            assertThat(expected).as("3 Pings a block: 3 blocks of history from the start, 2 after the empty ones, "
                    + "3 after the creation").hasSize(24);
            ChainLog last = expected.get(expected.size() - 1);
            List<EventLogOutput> records = reader.awaitRecord(pipeline.topic(), "the last Ping, " + last.id(),
                    r -> ChainLog.of(r.getValue()).equals(last), PHASE);

            assertThat(records).extracting(r -> ChainLog.of(r.getValue()))
                    .as("every Ping of the emitter from block %d on, once each, in block order", start)
                    .containsExactlyElementsOf(expected);
            assertThat(records).allSatisfy(r -> {
                assertThat(r.getValue().getRemoved()).isFalse();
                assertThat(r.getEnvelope().getOwners()).containsExactly("owner-b");
                assertThat(r.getEnvelope().getPuuid()).isEqualTo(pipeline.puuid());
            });
        }
    }

    /** Polls the pipeline, noting every state it reports, until it is {@code state}; the view that said so. */
    private PipelineView awaitState(PessimismClient client, PipelineCreated pipeline, String state) {
        return await("pipeline " + pipeline.puuid() + " is " + state)
                .atMost(PHASE).pollInterval(Duration.ofMillis(20)).pollDelay(Duration.ZERO)
                .until(() -> {
                    PipelineView view = client.showPipeline(pipeline.puuid());
                    if (statesSeen.isEmpty() || !statesSeen.get(statesSeen.size() - 1).equals(view.state())) {
                        statesSeen.add(view.state());
                    }
                    return view;
                }, view -> view.state().equals(state));
    }

    /** Mines one block with 3 Pings and a Pong of {@code emitter} and a Ping of {@code other}. */
    private void mineWithEvents(ChainDriver chain, String emitter, String other) {
        BigInteger value = BigInteger.valueOf(receipts.size() + 1);
        receipts.addAll(Blocks.mineTogether(chain, List.of(new Call(emitter, Emitter.pingManyCall(WHO, value, 3)),
                new Call(emitter, Emitter.pongCall(WHO, value)), new Call(other, Emitter.pingCall(WHO, value)))));
    }
}
