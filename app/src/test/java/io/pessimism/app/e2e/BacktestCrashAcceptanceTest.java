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
import io.pessimism.avro.Block;
import io.pessimism.avro.EventLogOutput;
import io.pessimism.client.PessimismClient;
import io.pessimism.network.Network;
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
import java.util.stream.LongStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@code event_log} backtest whose ETL (its own JVM) is SIGKILLed while the backtest writes its
 * range, inside open transactions, and restarted on the same state directory: it ends DONE with the
 * same {@code .out} as an undisturbed backtest of the same range, and both are exactly the Pings the
 * node's canonical blocks hold, once each, in order, then the end marker counting them.
 *
 * <p>Where the kills land: every client's produce rate is held to {@value #THROTTLE_BYTES_PER_SECOND}
 * bytes/s while the first backtest runs, so its transactions stay open for seconds; each kill
 * waits until {@code .out} holds records {@code read_uncommitted} that {@code read_committed} does
 * not (an open transaction of the backtest, before its end marker), and the aborted records left
 * on {@code .out} afterwards show that the kills struck there. The GethBlock oracle runs in this
 * JVM, has the whole chain before the backtest starts and is never disturbed.
 */
class BacktestCrashAcceptanceTest {

    private static final Logger log = LoggerFactory.getLogger(BacktestCrashAcceptanceTest.class);

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleNode();

    @RegisterExtension
    static final AnvilExtension ANVIL = AnvilExtension.create();

    private static final String NAMESPACE = "btkill";
    private static final String WHO = "0x00000000000000000000000000000000000000b7";
    private static final int WINDOW = 4;
    private static final int BLOCKS = 200;
    private static final int PINGS_PER_BLOCK = 3;
    private static final int KILLS = 3;
    /** Slow enough that a restarted instance cannot write the rest of the range in one go before the next kill. */
    private static final long THROTTLE_BYTES_PER_SECOND = 10_000;
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path tmp;

    @Test
    void sigkilledMidBacktestTheEtlEndsDoneWithTheOutputOfAnUndisturbedRun() throws Exception {
        int apiPort = FreePort.allocate();
        String api = "http://127.0.0.1:" + apiPort;
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.builder()
                .bootstrapServers(KAFKA.bootstrapServers()).storeTopic(new TopicNames(NAMESPACE).schemas()).port(0)
                .replicationFactor(1).build().start();
             ChainDriver chain = ChainDriver.connect(ANVIL.httpUrl());
             NodeReads node = new NodeReads(ANVIL.httpUrl());
             Admin admin = KAFKA.cluster().admin();
             OracleService oracles = Layer1Oracles.start(Layer1Oracles.config(NAMESPACE,
                     KAFKA.bootstrapServers(), registry.url(), ANVIL.httpUrl()))) {
            String emitter = chain.deployEmitter();
            long start = chain.blockNumber() + 1;
            chain.fillBlocks(emitter, WHO, BLOCKS, PINGS_PER_BLOCK);
            long end = chain.blockNumber();
            chain.mine(WINDOW); // the range is final: the chain is a reorg window past its end
            long head = chain.blockNumber();
            String blockTopic = Layer1Oracles.topics(Layer1Oracles.config(NAMESPACE,
                    KAFKA.bootstrapServers(), registry.url(), ANVIL.httpUrl())).blocks(Network.LAYER1).name();
            OutTopicReader<Block> blocks = new OutTopicReader<>(KAFKA.bootstrapServers(), registry.url(), Block.class);
            blocks.awaitRecord(blockTopic, "block " + head, b -> b.getNumber() == head, WAIT); // no produce throttled after

            OutTopicReader<EventLogOutput> out = new OutTopicReader<>(KAFKA.bootstrapServers(), registry.url(),
                    EventLogOutput.class);
            List<String> settings = List.of("networks.layer1.reorg-window=" + WINDOW);
            PessimismClient client = PessimismClient.create(api, Optional.empty());
            EtlProcess etl = EtlProcess.start(KAFKA.bootstrapServers(), registry.url(), NAMESPACE, apiPort, tmp,
                    settings);
            List<String> kills = new ArrayList<>();
            PipelineCreated killed;
            try (ProduceThrottle throttle = ProduceThrottle.everyClient(KAFKA.bootstrapServers())) {
                throttle.limit(THROTTLE_BYTES_PER_SECOND);
                killed = client.createPipeline(backtest(emitter, start, end, "owner-killed"));
                int committedAtKill = -1;
                while (kills.size() < KILLS) {
                    String topic = killed.topic();
                    int before = committedAtKill;
                    // this instance committed (so the killed one's transaction is decided) and has one open now
                    OutState<EventLogOutput> state = await("backtest " + killed.puuid() + " writes inside an open transaction "
                            + "(kill " + (kills.size() + 1) + ")").atMost(WAIT).pollInterval(Duration.ofMillis(50))
                            .ignoreExceptions() // .out does not exist until the branch starts
                            .until(() -> OutState.of(out, admin, topic),
                                    o -> ended(o) || (o.committed().size() > before && o.open()));
                    if (ended(state)) {
                        break; // the rest of the range fit into the restarted instance's transactions
                    }
                    etl.kill();
                    committedAtKill = state.committed().size();
                    kills.add("kill " + (kills.size() + 1) + ": " + state);
                    etl = EtlProcess.start(KAFKA.bootstrapServers(), registry.url(), NAMESPACE, apiPort, tmp,
                            settings);
                }
                throttle.lift();
                awaitDone(client, killed);
            } finally {
                log.info("{}", kills);
            }
            assertThat(kills).as("SIGKILLs inside the backtest's open transactions").isNotEmpty();

            PipelineCreated undisturbed = client.createPipeline(backtest(emitter, start, end, "owner-undisturbed"));
            assertThat(undisturbed.puuid()).as("backtests never share a branch").isNotEqualTo(killed.puuid());
            awaitDone(client, undisturbed);
            etl.stop();

            List<ChainLog> pings = LongStream.rangeClosed(start, end).mapToObj(node::blockAt)
                    .flatMap(b -> b.logs().stream())
                    .filter(l -> l.address().equals(emitter) && l.topics().get(0).equals(PING_TOPIC))
                    .toList();
            assertThat(pings).hasSize(BLOCKS * PINGS_PER_BLOCK);
            List<EventLogOutput> afterKills = out.readAll(killed.topic());
            List<EventLogOutput> calm = out.readAll(undisturbed.topic());
            assertThat(records(afterKills)).as("the killed backtest: every Ping of [%d, %d] once, in order", start, end)
                    .containsExactlyElementsOf(pings);
            assertThat(records(afterKills)).as("the same as the undisturbed backtest").isEqualTo(records(calm));
            for (List<EventLogOutput> run : List.of(afterKills, calm)) {
                EventLogOutput last = run.get(run.size() - 1);
                assertThat(last.getBacktestEnd()).as("the end marker last").isNotNull();
                assertThat(last.getBacktestEnd().getRecords()).isEqualTo(pings.size());
                assertThat(run).hasSize(pings.size() + 1);
            }
            int uncommitted = out.readKeyed(killed.topic(), IsolationLevel.READ_UNCOMMITTED).size();
            assertThat(uncommitted).as("aborted records on .out: the kills struck inside open transactions")
                    .isGreaterThan(afterKills.size());
        }
    }

    private static boolean ended(OutState<EventLogOutput> out) {
        return out.committed().stream().anyMatch(r -> r.getBacktestEnd() != null);
    }

    /** The records of a backtest's {@code .out} before its end marker, as the node's logs. */
    private static List<ChainLog> records(List<EventLogOutput> out) {
        return out.stream().filter(r -> r.getValue() != null).map(r -> ChainLog.of(r.getValue())).toList();
    }

    private static void awaitDone(PessimismClient client, PipelineCreated backtest) {
        PipelineView done = await("backtest " + backtest.puuid() + " is done").atMost(WAIT)
                .pollInterval(Duration.ofMillis(200)).ignoreExceptions() // the API is down while the ETL restarts
                .until(() -> client.showPipeline(backtest.puuid()), v -> v.state().equals("done"));
        assertThat(done.status().blocksDone()).isEqualTo(done.status().blocksTotal());
    }

    private static CreatePipelineRequest backtest(String emitter, long start, long end, String owner) {
        return new CreatePipelineRequest("layer1", "backtest", "event_log", start, end, owner,
                List.of(new Interest(emitter, List.of(PING_SIGNATURE))));
    }

}
