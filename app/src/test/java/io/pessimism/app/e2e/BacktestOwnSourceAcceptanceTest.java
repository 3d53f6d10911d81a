package io.pessimism.app.e2e;

import static io.pessimism.testkit.chain.Emitter.PING_SIGNATURE;
import static io.pessimism.testkit.chain.Emitter.PING_TOPIC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pessimism.api.CreatePipelineRequest;
import io.pessimism.api.CreatePipelineRequest.Interest;
import io.pessimism.api.PipelineCreated;
import io.pessimism.api.PipelineView;
import io.pessimism.app.e2e.Blocks.Call;
import io.pessimism.avro.AccountBalanceOutput;
import io.pessimism.avro.BacktestEnd;
import io.pessimism.avro.Block;
import io.pessimism.avro.EventLogOutput;
import io.pessimism.avro.GethBlockOutput;
import io.pessimism.client.PessimismApiException;
import io.pessimism.client.PessimismClient;
import io.pessimism.network.Network;
import io.pessimism.pipeline.HeightSearch;
import io.pessimism.registry.Registers;
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
import java.util.Properties;
import java.util.Set;
import java.util.stream.LongStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;

/**
 * Backtests of a range the block topic no longer holds (DESIGN.md §6), as a risk engine runs them: the
 * block oracle's topic has lost its blocks below {@value #FIRST_HELD} (deleted with
 * {@code deleteRecords}, as retention would), a backtest of {@code [5, 15]} is accepted all the same,
 * its branch reads {@code <prefix>.source}, which the oracles service fills with the oracle's
 * BackTestRoutine, and its {@code .out} is exactly what the node says of the range ({@code eth_getLogs},
 * its blocks), then its end marker, DONE with every block counted; removing it deletes its source. An
 * account_balance backtest of past blocks reads the balance history at each block from the node the same way.
 */
class BacktestOwnSourceAcceptanceTest {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleNode();

    @RegisterExtension
    static final AnvilExtension ANVIL = AnvilExtension.create();

    private static final String NAMESPACE = "bts";
    private static final int WINDOW = 4;
    private static final long FIRST_HELD = 20;
    private static final long HEAD = 30;
    private static final Duration DONE = Duration.ofSeconds(30);
    private static final String WHO = "0x00000000000000000000000000000000000000a1";
    /** Gets ETH at every block whose number is a multiple of 4 (and nothing else). */
    private static final String WATCHED = "0x00000000000000000000000000000000000000b2";

    @TempDir
    static Path stateRoot;

    private static EmbeddedSchemaRegistry registry;
    private static ChainDriver chain;
    private static NodeReads node;
    private static EtlStack stack;
    private static String api;
    private static PessimismClient client;
    private static Admin admin;
    private static final TopicNames NAMES = new TopicNames(NAMESPACE);
    /** The watched contract: every block from 3 on not a multiple of 4 has 1 to 3 of its Pings and a Ping of {@link #other}. */
    private static String emitter;
    private static String other;

    @BeforeAll
    static void startEverything() throws Exception {
        registry = EmbeddedSchemaRegistry.builder().bootstrapServers(KAFKA.bootstrapServers())
                .storeTopic(new TopicNames("bts-registry").schemas()).port(0).replicationFactor(1).build().start();
        chain = ChainDriver.connect(ANVIL.httpUrl());
        node = new NodeReads(ANVIL.httpUrl());
        stack = EtlStack.start(NAMESPACE, new EtlStack.Endpoints(KAFKA.bootstrapServers(), registry.url(),
                ANVIL.httpUrl(), ANVIL.wsUrl()), stateRoot, Map.of("networks.layer1.reorg-window",
                Integer.toString(WINDOW)));
        api = stack.startEtl("a").apiUrl();
        client = PessimismClient.create(api, Optional.empty());
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        admin = Admin.create(props);
        emitter = chain.deployEmitter();
        other = chain.deployEmitter();
        while (chain.blockNumber() < HEAD) {
            long number = chain.blockNumber() + 1;
            BigInteger value = BigInteger.valueOf(number * 10);
            if (number % 4 == 0) {
                chain.transfer(WATCHED, value); // a block of its own: the watched balance changes at 4, 8, 12, …
            } else {
                Blocks.mineTogether(chain, List.of(new Call(emitter, Emitter.pingManyCall(WHO, value,
                        (int) (number % 3) + 1)), new Call(other, Emitter.pingCall(WHO, value))));
            }
        }
        forgetBlocksBelow(FIRST_HELD);
    }

    /** Deletes the block topic's records below block {@code first}, once the oracle has written the head. */
    private static void forgetBlocksBelow(long first) throws Exception {
        TopicPartition blocks = new TopicPartition(NAMES.registerTopic(Network.LAYER1, Registers.GETH_BLOCK), 0);
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            Duration probe = Duration.ofSeconds(10);
            await("the block oracle has written block " + HEAD).atMost(Duration.ofSeconds(30))
                    .until(() -> HeightSearch.firstAtOrAbove(consumer, blocks, HEAD, r -> Long.parseLong(r.key()), probe)
                            < consumer.endOffsets(List.of(blocks)).get(blocks));
            long offset = HeightSearch.firstAtOrAbove(consumer, blocks, first, r -> Long.parseLong(r.key()), probe);
            admin.deleteRecords(Map.of(blocks, RecordsToDelete.beforeOffset(offset))).all().get();
        }
    }

    @AfterAll
    static void stopEverything() {
        for (AutoCloseable closeable : new AutoCloseable[] {admin, stack, node, chain, registry}) {
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
    void backtestsOfARangeTheBlockTopicNoLongerHoldsReadTheirOwnSourceAndGiveExactlyTheChainsRecordsThenDone()
            throws Exception {
        PipelineCreated chainBlocks = client.createPipeline(new CreatePipelineRequest("layer1", "backtest",
                "geth_block", 5L, 15L, "owner-b", List.of()));
        Cli.Run run = Cli.run(api, "backtest", "--network", "layer1", "--register", "event_log", "--start", "5",
                "--end", "15", "--owner", "owner-a", "--watch", emitter + "=" + PING_SIGNATURE, "--interval", "200ms",
                "--timeout", "30s");

        assertThat(run.code()).as(run.err()).isZero();
        JsonNode done = run.json();
        assertThat(done.path("state").asText()).isEqualTo("done");
        assertThat(done.path("status").path("blocksDone").asLong()).isEqualTo(11);
        assertThat(done.path("source").asText()).as("the pipeline names its own source")
                .isEqualTo(done.path("prefix").asText() + ".source");
        assertThat(run.err().lines()).as("the progress lines, the last one done with every block")
                .anySatisfy(line -> assertThat(line).startsWith("done ").contains("100%  11/11 blocks"));
        PipelineCreated logs = new PipelineCreated(done.path("puuid").asText(), done.path("pid").asText(),
                done.path("topic").asText(), "done", false);
        assertEventLogs(logs, pingsOnTheNode(5, 15), 5, 15);

        PipelineView blocksDone = await("backtest " + chainBlocks.puuid() + " is done").atMost(DONE)
                .pollInterval(Duration.ofMillis(100)).until(() -> client.showPipeline(chainBlocks.puuid()),
                        v -> v.state().equals("done"));
        assertThat(blocksDone.status().blocksDone()).isEqualTo(11);
        assertThat(blocksDone.status().progress()).isEqualTo(1.0);
        assertThat(blocksDone.source()).isEqualTo(NAMES.source(blocksDone.prefix()));
        List<ChainBlock> canonical = LongStream.rangeClosed(5, 15).mapToObj(node::blockAt).toList();
        List<GethBlockOutput> out = reader(GethBlockOutput.class).readAll(chainBlocks.topic());
        assertThat(out.subList(0, out.size() - 1)).extracting(r -> ChainBlock.of(r.getValue()))
                .as("the node's blocks 5..15 with their logs, once each, in order").containsExactlyElementsOf(canonical);
        assertEnd(out.get(out.size() - 1).getBacktestEnd(), chainBlocks, 11);

        String source = blocksDone.source();
        assertThat(reader(Block.class).readKeyed(source)).extracting(OutTopicReader.Keyed::key)
                .as("the source holds exactly the range, filled by the oracle's BackTestRoutine")
                .containsExactlyElementsOf(LongStream.rangeClosed(5, 15).mapToObj(Long::toString).toList());

        client.removePipeline(chainBlocks.puuid(), Optional.empty(), false);
        await("removing the backtest deletes its .out and .source").atMost(DONE)
                .until(() -> admin.listTopics().names().get(), names -> !names.contains(source)
                        && !names.contains(chainBlocks.topic()));
    }

    @Test
    void aBacktestOfItsOwnSourceWhoseEndMovesLaterIsFilledOnToItsNewEnd() {
        long head = chain.blockNumber();
        long end = head - WINDOW + 1; // final once the head is WINDOW blocks past it: one more block
        PipelineCreated chainBlocks = client.createPipeline(new CreatePipelineRequest("layer1", "backtest",
                "geth_block", 5L, end, "owner-e", List.of()));
        await("backtest " + chainBlocks.puuid() + " has read every final block of its range").atMost(DONE)
                .until(() -> client.showPipeline(chainBlocks.puuid()), v -> v.status() != null
                        && Long.valueOf(end - 5).equals(v.status().blocksDone()));
        long later = end + 2;
        assertThat(client.updateBacktestEnd(chainBlocks.puuid(), later).endHeight()).isEqualTo(later);
        chain.mine(WINDOW + 2); // the new end is final

        PipelineView done = await("backtest " + chainBlocks.puuid() + " is done").atMost(DONE)
                .pollInterval(Duration.ofMillis(100)).until(() -> client.showPipeline(chainBlocks.puuid()),
                        v -> v.state().equals("done"));
        assertThat(done.status().blocksDone()).isEqualTo(later - 4);
        List<GethBlockOutput> out = reader(GethBlockOutput.class).readAll(chainBlocks.topic());
        assertThat(out.subList(0, out.size() - 1)).extracting(r -> r.getValue().getNumber())
                .as("blocks 5..%d once each: the fill went on after %d", later, end - 1)
                .containsExactlyElementsOf(LongStream.rangeClosed(5, later).boxed().toList());
        assertThat(reader(Block.class).readKeyed(done.source())).extracting(OutTopicReader.Keyed::key)
                .as("the source holds each block once").doesNotHaveDuplicates().hasSize((int) (later - 4));
    }

    @Test
    void theOraclesRestartedWhileFillingASourceResumeItWhereItCommitted() {
        long end = chain.blockNumber() - WINDOW + 3; // final three blocks from now: the fill stops short of it
        PipelineCreated chainBlocks = client.createPipeline(new CreatePipelineRequest("layer1", "backtest",
                "geth_block", 5L, end, "owner-k", List.of()));
        await("backtest " + chainBlocks.puuid() + " has read the final blocks of its range").atMost(DONE)
                .until(() -> client.showPipeline(chainBlocks.puuid()), v -> v.status() != null
                        && Long.valueOf(end - 7).equals(v.status().blocksDone()));

        stack.restartOracles();
        chain.mine(3); // the end is final

        PipelineView done = await("backtest " + chainBlocks.puuid() + " is done").atMost(DONE)
                .pollInterval(Duration.ofMillis(100)).until(() -> client.showPipeline(chainBlocks.puuid()),
                        v -> v.state().equals("done"));
        assertThat(reader(Block.class).readKeyed(done.source())).extracting(OutTopicReader.Keyed::key)
                .as("the restarted oracles went on after the last block committed: each block once")
                .containsExactlyElementsOf(LongStream.rangeClosed(5, end).mapToObj(Long::toString).toList());
        List<GethBlockOutput> out = reader(GethBlockOutput.class).readAll(chainBlocks.topic());
        assertThat(out.subList(0, out.size() - 1)).extracting(r -> r.getValue().getNumber())
                .containsExactlyElementsOf(LongStream.rangeClosed(5, end).boxed().toList());
    }

    @Test
    void anAccountBalanceBacktestOfPastBlocksReadsTheBalanceHistoryAtEachBlockIntoItsOwnSource() {
        PipelineCreated balances = client.createPipeline(new CreatePipelineRequest("layer1", "backtest",
                "account_balance", 5L, 15L, "owner-c", List.of(new Interest(WATCHED, List.of()))));
        PipelineView done = await("backtest " + balances.puuid() + " is done").atMost(DONE)
                .pollInterval(Duration.ofMillis(100)).until(() -> client.showPipeline(balances.puuid()),
                        v -> v.state().equals("done"));
        assertThat(done.source()).as("past balances are read from the node").isNotNull();
        assertThat(done.status().blocksDone()).isEqualTo(11);

        List<String> expected = new ArrayList<>();
        BigInteger previous = null;
        for (long n = 5; n <= 15; n++) {
            String hash = node.hashAt(n);
            BigInteger balance = node.balanceAt(WATCHED, hash);
            if (previous == null || !previous.equals(balance)) {
                expected.add(n + " " + hash + " " + balance + " " + (previous == null ? "-" : previous));
            }
            previous = balance;
        }
        assertThat(expected).as("the watched address's first balance, then each change").hasSize(3);
        List<AccountBalanceOutput> out = reader(AccountBalanceOutput.class).readAll(balances.topic());
        assertThat(out.subList(0, out.size() - 1)).extracting(r -> r.getValue().getBlockNumber() + " "
                        + r.getValue().getBlockHash() + " " + r.getValue().getBalance() + " "
                        + (r.getValue().getPreviousBalance() == null ? "-" : r.getValue().getPreviousBalance()))
                .as("the balance at block 5 (the interest became effective), then at each change, as the node says")
                .containsExactlyElementsOf(expected);
        assertThat(out.subList(0, out.size() - 1)).allSatisfy(r -> {
            assertThat(r.getValue().getAddress()).isEqualTo(WATCHED);
            assertThat(r.getEnvelope().getOwners()).containsExactly("owner-c");
        });
        assertEnd(out.get(out.size() - 1).getBacktestEnd(), balances, 3);
    }

    @Test
    void aLivePipelineFromBelowWhatTheBlockTopicHoldsIsStillRefusedNamingWhatItHolds() {
        try {
            client.createPipeline(new CreatePipelineRequest("layer1", "live", "event_log", 5L, null, "owner-l",
                    List.of(new Interest(emitter, List.of(PING_SIGNATURE)))));
            throw new AssertionError("a live pipeline from block 5 was accepted");
        } catch (PessimismApiException e) {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.getMessage()).contains("startHeight 5 is below what " + NAMES.registerTopic(Network.LAYER1,
                    Registers.GETH_BLOCK) + " holds: blocks " + FIRST_HELD + "..");
        }
    }

    /** The {@code .out} of an event_log backtest: exactly {@code pings}, in order, then its end marker. */
    private static void assertEventLogs(PipelineCreated backtest, List<ChainLog> pings, long start, long end) {
        List<EventLogOutput> out = reader(EventLogOutput.class).readAll(backtest.topic());
        assertThat(out).as("the records, then the end marker").hasSize(pings.size() + 1);
        assertThat(out.subList(0, pings.size())).extracting(r -> ChainLog.of(r.getValue()))
                .as("eth_getLogs of the emitter's Pings in %d..%d, once each, in order", start, end)
                .containsExactlyElementsOf(pings);
        assertEnd(out.get(out.size() - 1).getBacktestEnd(), backtest, pings.size());
    }

    private static void assertEnd(BacktestEnd marker, PipelineCreated backtest, long records) {
        assertThat(marker).as("the last record is the end marker").isNotNull();
        assertThat(marker.getPuuid()).isEqualTo(backtest.puuid());
        assertThat(marker.getStartHeight()).isEqualTo(5);
        assertThat(marker.getEndHeight()).isEqualTo(15);
        assertThat(marker.getRecords()).as("the records before it").isEqualTo(records);
    }

    /** The emitter's Pings in blocks {@code from..to}, as {@code eth_getLogs} answers, in chain order. */
    private static List<ChainLog> pingsOnTheNode(long from, long to) throws Exception {
        EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.valueOf(from)),
                DefaultBlockParameter.valueOf(BigInteger.valueOf(to)), emitter);
        filter.addSingleTopic(PING_TOPIC);
        EthLog logs = chain.web3j().ethGetLogs(filter).send();
        assertThat(logs.hasError()).as("eth_getLogs %d..%d", from, to).isFalse();
        List<ChainLog> pings = new ArrayList<>();
        for (EthLog.LogResult<?> result : logs.getLogs()) {
            pings.add(ChainLog.of((Log) result.get()));
        }
        assertThat(pings).as("1 to 3 Pings a block but every fourth").hasSizeBetween(9, 27);
        return pings;
    }

    private static <V extends org.apache.avro.specific.SpecificRecord> OutTopicReader<V> reader(Class<V> type) {
        return new OutTopicReader<>(KAFKA.bootstrapServers(), registry.url(), type);
    }
}
