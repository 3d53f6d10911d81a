package io.pessimism.app.e2e;

import static io.pessimism.testkit.chain.Emitter.PING_SIGNATURE;
import static io.pessimism.testkit.chain.Emitter.PING_TOPIC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pessimism.api.CreatePipelineRequest;
import io.pessimism.api.CreatePipelineRequest.Interest;
import io.pessimism.api.PipelineCreated;
import io.pessimism.api.PipelineView;
import io.pessimism.app.e2e.Blocks.Call;
import io.pessimism.avro.BacktestEnd;
import io.pessimism.avro.Envelope;
import io.pessimism.avro.EventLogOutput;
import io.pessimism.avro.GethBlockOutput;
import io.pessimism.client.PessimismApiException;
import io.pessimism.client.PessimismClient;
import io.pessimism.schemaregistry.EmbeddedSchemaRegistry;
import io.pessimism.testkit.anvil.AnvilExtension;
import io.pessimism.testkit.chain.BranchTx;
import io.pessimism.testkit.chain.ChainDriver;
import io.pessimism.testkit.chain.DevAccounts;
import io.pessimism.testkit.chain.Emitter;
import io.pessimism.testkit.kafka.KafkaClusterExtension;
import io.pessimism.topic.TopicNames;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backtests as a risk engine runs them, through {@code POST /v1/pipelines} and {@code pessimism
 * backtest}, on a KRaft broker, anvil and the stack {@code pessimism dev} runs: a backtest's
 * {@code .out} is exactly the canonical chain of its range, once, in order (held against the node's
 * blocks and the logs of their receipts), then its {@code backtestEnd} marker, and its status is
 * DONE with every block of the range counted; also when a reorg replaces blocks of the range while
 * the backtest waits for them to be final.
 *
 * <p>The reorg window is {@value #WINDOW} blocks, so a range is final once the chain is
 * {@value #WINDOW} blocks past its end. The chain (one for the class) is 40 blocks with events
 * before any test; each test works on its own range.
 */
class BacktestAcceptanceTest {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleNode();

    @RegisterExtension
    static final AnvilExtension ANVIL = AnvilExtension.create();

    private static final int WINDOW = 4;
    /** Up to: the branch starting (topics, start position, rebalance), the range read, then its end committed. */
    private static final Duration DONE = Duration.ofSeconds(60);
    private static final String WHO = "0x00000000000000000000000000000000000000a1";

    @TempDir
    static Path stateRoot;

    private static EmbeddedSchemaRegistry registry;
    private static ChainDriver chain;
    private static NodeReads node;
    private static EtlStack stack;
    private static String api;
    private static PessimismClient client;
    private static OutTopicReader<EventLogOutput> events;
    private static OutTopicReader<GethBlockOutput> blocks;
    /** The watched contract; every block from 3 on has 1 to 3 of its Pings, one of its Pongs and a Ping of {@link #other}. */
    private static String emitter;
    private static String other;

    @BeforeAll
    static void startEverything() {
        registry = EmbeddedSchemaRegistry.builder().bootstrapServers(KAFKA.bootstrapServers())
                .storeTopic(new TopicNames("bt-registry").schemas()).port(0).replicationFactor(1).build().start();
        chain = ChainDriver.connect(ANVIL.httpUrl());
        node = new NodeReads(ANVIL.httpUrl());
        stack = EtlStack.start("bt", new EtlStack.Endpoints(KAFKA.bootstrapServers(), registry.url(), ANVIL.httpUrl(),
                ANVIL.wsUrl()), stateRoot, Map.of("networks.layer1.reorg-window", Integer.toString(WINDOW)));
        api = stack.startEtl("a").apiUrl();
        client = PessimismClient.create(api, Optional.empty());
        events = new OutTopicReader<>(KAFKA.bootstrapServers(), registry.url(), EventLogOutput.class);
        blocks = new OutTopicReader<>(KAFKA.bootstrapServers(), registry.url(), GethBlockOutput.class);
        emitter = chain.deployEmitter();
        other = chain.deployEmitter();
        while (chain.blockNumber() < 40) {
            mineWithEvents(chain.blockNumber() + 1);
        }
    }

    @AfterAll
    static void stopEverything() {
        for (AutoCloseable closeable : new AutoCloseable[] {stack, node, chain, registry}) {
            if (closeable != null) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    throw new IllegalStateException("could not close " + closeable, e);
                }
            }
        }
    }

    @Test
    void anEventLogAndAGethBlockBacktestOfFiveToFifteenGiveExactlyThoseBlocksOnceThenTheirEndAndDone() {
        PipelineCreated logs = client.createPipeline(backtest("event_log", 5, 15, "owner-a",
                new Interest(emitter, List.of(PING_SIGNATURE))));
        PipelineCreated chainBlocks = client.createPipeline(backtest("geth_block", 5, 15, "owner-a"));
        assertThat(List.of(logs, chainBlocks)).allSatisfy(created -> {
            assertThat(created.reused()).isFalse();
            assertThat(created.puuid()).startsWith("backtest::");
        });

        assertDone(awaitDone(logs), 5, 15);
        assertDone(awaitDone(chainBlocks), 5, 15);

        List<ChainLog> pings = pingsOf(canonical(5, 15));
        assertThat(pings).as("the emitter's Pings in blocks 5..15: 1 to 3 a block").hasSizeBetween(11, 33);
        assertEventLogBacktest(logs, pings, 5, 15);
        assertGethBlockBacktest(chainBlocks, canonical(5, 15), 5, 15);
    }

    @Test
    void aReorgOfBlocksOfTheRangeWhileTheBacktestWaitsForThemToBeFinalLeavesOnlyTheCanonicalChain() {
        long base = chain.blockNumber();
        for (int i = 1; i <= 6; i++) {
            mineWithEvents(base + i);
        }
        long start = base + 2;
        long end = base + 5;
        PipelineCreated logs = client.createPipeline(backtest("event_log", start, end, "owner-r",
                new Interest(emitter, List.of(PING_SIGNATURE))));
        PipelineCreated chainBlocks = client.createPipeline(backtest("geth_block", start, end, "owner-r"));
        for (PipelineCreated created : List.of(logs, chainBlocks)) {
            PipelineView waiting = await("backtest " + created.puuid() + " has read every block of [" + start + ", "
                    + end + "] and waits for the chain to be " + WINDOW + " blocks past " + end).atMost(DONE)
                    .until(() -> client.showPipeline(created.puuid()), v -> v.status() != null
                            && Long.valueOf(end - start + 1).equals(v.status().blocksDone()));
            assertThat(waiting.state()).as("the head is %d, less than a window past the end", base + 6)
                    .isEqualTo("backfill");
        }
        List<ChainBlock> before = LongStream.rangeClosed(base + 4, base + 6).mapToObj(node::blockAt).toList();
        Set<String> orphaned = new HashSet<>(before.stream().map(ChainBlock::hash).toList());
        assertThat(pingsOf(before.subList(0, 2))).as("the emitter's Pings on blocks %d and %d, about to be orphaned",
                base + 4, base + 5).isNotEmpty();

        // blocks base+4..base+6 replaced: base+4 and base+5 (in the range) by blocks with other Pings
        String from = DevAccounts.address(1);
        chain.reorg(3, List.of(BranchTx.call(from, emitter, Emitter.pingCall(WHO, BigInteger.valueOf(1004)), 0),
                BranchTx.call(from, emitter, Emitter.pingManyCall(WHO, BigInteger.valueOf(1005), 2), 1)));
        assertThat(LongStream.rangeClosed(base + 4, base + 6).mapToObj(node::hashAt))
                .as("blocks %d..%d were replaced", base + 4, base + 6).doesNotContainAnyElementsOf(orphaned);
        chain.mine(WINDOW); // the head passes end + window: the range is final

        assertDone(awaitDone(logs), start, end);
        assertDone(awaitDone(chainBlocks), start, end);

        List<ChainBlock> canonical = canonical(start, end);
        assertThat(canonical).extracting(ChainBlock::hash).doesNotContainAnyElementsOf(orphaned);
        assertThat(pingsOf(canonical.subList(2, 4))).as("the new blocks' Pings").hasSize(3);
        assertEventLogBacktest(logs, pingsOf(canonical), start, end);
        assertGethBlockBacktest(chainBlocks, canonical, start, end);
        assertThat(events.readAll(logs.topic())).extracting(r -> r.getEnvelope().getBlockHash())
                .as("no record of an orphaned block").doesNotContainAnyElementsOf(orphaned);
        assertThat(blocks.readAll(chainBlocks.topic())).extracting(r -> r.getEnvelope().getBlockHash())
                .as("no orphaned block").doesNotContainAnyElementsOf(orphaned);
    }

    @Test
    void aRunningBacktestsEndMovedLaterGivesTheLongerRangeOnceAndItsEndCannotMoveBackOrAfterDone() {
        long base = chain.blockNumber();
        long start = base + 1;
        long end = base + 3;
        long later = base + 6;
        PipelineCreated logs = client.createPipeline(backtest("event_log", start, end, "owner-u",
                new Interest(emitter, List.of(PING_SIGNATURE))));
        mineWithEvents(base + 1);
        mineWithEvents(base + 2);
        await("backtest " + logs.puuid() + " has read blocks " + start + " and " + (start + 1) + " and waits for the "
                + "rest of its range").atMost(DONE).until(() -> client.showPipeline(logs.puuid()),
                v -> v.status() != null && Long.valueOf(2).equals(v.status().blocksDone()));

        PipelineView moved = client.updateBacktestEnd(logs.puuid(), later);
        assertThat(moved.endHeight()).isEqualTo(later);
        assertThat(refusal(() -> client.updateBacktestEnd(logs.puuid(), end))).as("an earlier end")
                .startsWith("409").contains("can only move later");
        for (long n = base + 3; n <= later; n++) {
            mineWithEvents(n);
        }
        chain.mine(WINDOW); // the head passes the new end + window: the range is final

        assertDone(awaitDone(logs), start, later);
        assertEventLogBacktest(logs, pingsOf(canonical(start, later)), start, later);
        assertThat(refusal(() -> client.updateBacktestEnd(logs.puuid(), later + 5))).as("a done backtest's end")
                .startsWith("409").contains("is done");
    }

    /** The status and detail of the problem {@code call} was refused with. */
    private static String refusal(Runnable call) {
        try {
            call.run();
        } catch (PessimismApiException e) {
            return e.status() + " " + e.getMessage();
        }
        throw new AssertionError("the call was not refused");
    }

    @Test
    void theBacktestCommandShowsProgressUntilDoneThenPrintsThePipelineAndWhereItsRecordsAre() throws Exception {
        Cli.Run run = Cli.run(api, "backtest", "--network", "layer1", "--register", "event_log", "--start", "20",
                "--end", "30", "--owner", "owner-cli", "--watch", emitter + "=" + PING_SIGNATURE,
                "--interval", "200ms", "--timeout", "90s");

        assertThat(run.code()).as(run.err()).isZero();
        JsonNode done = run.json();
        String puuid = done.path("puuid").asText();
        String topic = done.path("topic").asText();
        assertThat(puuid).startsWith("backtest::layer1:backtest:pipe:event_log::layer1:backtest:oracle:geth_block:::");
        assertThat(done.path("state").asText()).isEqualTo("done");
        assertThat(done.path("status").path("blocksDone").asLong()).isEqualTo(11);
        assertThat(done.path("status").path("blocksTotal").asLong()).isEqualTo(11);
        List<String> err = run.err().lines().toList();
        assertThat(err.get(0)).isEqualTo("backtest " + puuid + ": event_log on layer1, blocks 20..30, records to "
                + topic);
        assertThat(err).as("a progress line per state, the last one done with every block")
                .anySatisfy(line -> assertThat(line).startsWith("backfill ").contains("/11 blocks"))
                .anySatisfy(line -> assertThat(line).startsWith("done ").contains("100%  11/11 blocks"));
        assertThat(err.get(err.size() - 1)).isEqualTo("done: blocks 20..30 of layer1; the records are on " + topic
                + " (read_committed), before the record whose backtestEnd is set, which counts them");
        assertEventLogBacktest(new PipelineCreated(puuid, done.path("pid").asText(), topic, "done", false),
                pingsOf(canonical(20, 30)), 20, 30);

        Cli.Run watched = Cli.run(api, "pipelines", "watch", puuid, "--interval", "100ms");
        assertThat(watched.code()).as(watched.err()).isZero();
        assertThat(watched.out().lines()).as("a done pipeline: one line, and the watch ends")
                .singleElement(STRING).startsWith("done ");

        Cli.Run refused = Cli.run(api, "backtest", "--network", "layer1", "--register", "event_log", "--start", "15",
                "--end", "5", "--owner", "owner-cli");
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).startsWith("pessimism backtest: 400 ").contains("(field startHeight)");
    }

    /** The backtest's {@code .out}: exactly {@code pings}, in order, none removed, then the end marker counting them. */
    private static void assertEventLogBacktest(PipelineCreated backtest, List<ChainLog> pings, long start, long end) {
        List<EventLogOutput> out = events.readAll(backtest.topic());
        assertThat(out).as("the records, then the end marker").hasSize(pings.size() + 1);
        List<EventLogOutput> records = out.subList(0, pings.size());
        assertThat(records).extracting(r -> ChainLog.of(r.getValue()))
                .as("the emitter's Pings of the canonical blocks %d..%d, once each, in order", start, end)
                .containsExactlyElementsOf(pings);
        assertThat(records).allSatisfy(r -> {
            assertThat(r.getValue().getRemoved()).isFalse();
            assertThat(r.getEnvelope().getRemoved()).isFalse();
            assertThat(r.getEnvelope().getOwners()).hasSize(1);
            assertThat(r.getEnvelope().getPuuid()).isEqualTo(backtest.puuid());
            assertThat(r.getBacktestEnd()).isNull();
        });
        EventLogOutput last = out.get(out.size() - 1);
        assertThat(last.getValue()).isNull();
        assertEndMarker(last.getEnvelope(), last.getBacktestEnd(), backtest, start, end, pings.size());
    }

    /** The backtest's {@code .out}: exactly the canonical blocks, in order, none removed, then the end marker. */
    private static void assertGethBlockBacktest(PipelineCreated backtest, List<ChainBlock> canonical, long start,
                                                long end) {
        List<GethBlockOutput> out = blocks.readAll(backtest.topic());
        assertThat(out).as("the blocks, then the end marker").hasSize(canonical.size() + 1);
        List<GethBlockOutput> records = out.subList(0, canonical.size());
        assertThat(records).extracting(r -> ChainBlock.of(r.getValue()))
                .as("the canonical blocks %d..%d with their logs, once each, in order", start, end)
                .containsExactlyElementsOf(canonical);
        assertThat(records).allSatisfy(r -> {
            assertThat(r.getValue().getRemoved()).isFalse();
            assertThat(r.getEnvelope().getRemoved()).isFalse();
            assertThat(r.getEnvelope().getPuuid()).isEqualTo(backtest.puuid());
        });
        GethBlockOutput last = out.get(out.size() - 1);
        assertThat(last.getValue()).isNull();
        assertEndMarker(last.getEnvelope(), last.getBacktestEnd(), backtest, start, end, canonical.size());
    }

    private static void assertEndMarker(Envelope envelope, BacktestEnd marker, PipelineCreated backtest, long start,
                                        long end, long records) {
        assertThat(marker).as("the last record is the end marker").isNotNull();
        assertThat(marker.getPuuid()).isEqualTo(backtest.puuid());
        assertThat(marker.getStartHeight()).isEqualTo(start);
        assertThat(marker.getEndHeight()).isEqualTo(end);
        assertThat(marker.getRecords()).as("the records before it").isEqualTo(records);
        assertThat(envelope.getBlockNumber()).isEqualTo(end);
        assertThat(envelope.getBlockHash()).as("the canonical end block").isEqualTo(node.hashAt(end));
        assertThat(envelope.getRemoved()).isFalse();
    }

    private static PipelineView awaitDone(PipelineCreated backtest) {
        return await("backtest " + backtest.puuid() + " is done").atMost(DONE).pollInterval(Duration.ofMillis(100))
                .until(() -> client.showPipeline(backtest.puuid()), v -> v.state().equals("done")
                        || v.state().equals("stopped"));
    }

    /** The status of the first view that said done: what a user polling for it sees. */
    private static void assertDone(PipelineView done, long start, long end) {
        assertThat(done.state()).isEqualTo("done");
        assertThat(done.status()).isNotNull();
        assertThat(done.status().blocksDone()).as("blocks done").isEqualTo(end - start + 1);
        assertThat(done.status().blocksTotal()).as("blocks in the range").isEqualTo(end - start + 1);
        assertThat(done.status().progress()).isEqualTo(1.0);
        assertThat(done.status().reason()).isNull();
    }

    /** Mines block {@code number} with {@code number % 3 + 1} Pings and a Pong of the emitter and a Ping of the other contract. */
    private static void mineWithEvents(long number) {
        BigInteger value = BigInteger.valueOf(number * 10);
        List<Call> calls = List.of(new Call(emitter, Emitter.pingManyCall(WHO, value, (int) (number % 3) + 1)),
                new Call(emitter, Emitter.pongCall(WHO, value)),
                new Call(other, Emitter.pingCall(WHO, value)));
        long mined = Blocks.mineTogether(chain, calls).get(0).getBlockNumber().longValueExact();
        assertThat(mined).as("the block mined").isEqualTo(number);
    }

    private static List<ChainBlock> canonical(long from, long to) {
        return LongStream.rangeClosed(from, to).mapToObj(node::blockAt).toList();
    }

    /** The emitter's Pings of {@code chainBlocks} (their receipts' logs), in chain order. */
    private static List<ChainLog> pingsOf(List<ChainBlock> chainBlocks) {
        return chainBlocks.stream().flatMap(b -> b.logs().stream())
                .filter(log -> log.address().equals(emitter) && log.topics().get(0).equals(PING_TOPIC))
                .toList();
    }

    private static CreatePipelineRequest backtest(String register, long start, long end, String owner,
                                                  Interest... interests) {
        return new CreatePipelineRequest("layer1", "backtest", register, start, end, owner, List.of(interests));
    }
}
