package io.pessimism.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pessimism.api.CreatePipelineRequest;
import io.pessimism.api.PipelineCreated;
import io.pessimism.api.PipelineView;
import io.pessimism.app.e2e.OutTopicReader.Keyed;
import io.pessimism.avro.BlockReference;
import io.pessimism.avro.L1L2BlockSync;
import io.pessimism.avro.L1L2BlockSyncOutput;
import io.pessimism.avro.SourceBlocks;
import io.pessimism.client.PessimismClient;
import io.pessimism.schemaregistry.EmbeddedSchemaRegistry;
import io.pessimism.testkit.anvil.Anvil;
import io.pessimism.testkit.anvil.AnvilExtension;
import io.pessimism.topic.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code l1_l2_block_sync} end to end (REST, both networks' oracles, the ETL, a KRaft broker) over
 * two anvil chains mining on their own clocks, layer1 every 2 s and layer2 every second: in both
 * directions every tuple holds its trigger block and exactly the other chain's blocks whose block
 * time is in its window, as the nodes report them; no block of either chain is lost or used twice
 * across the tuples, through a restart of the ETL; and a backtest of a finished range (a replay
 * from the topics, the other chain's start found by block time) gives the live run's tuples.
 */
class L1L2BlockSyncAcceptanceTest {

    @RegisterExtension
    static final io.pessimism.testkit.kafka.KafkaClusterExtension KAFKA =
            io.pessimism.testkit.kafka.KafkaClusterExtension.singleNode();

    @RegisterExtension
    static final AnvilExtension LAYER1 = AnvilExtension.of(Anvil.builder().chainId(1).blockTime(2));

    @RegisterExtension
    static final AnvilExtension LAYER2 = AnvilExtension.of(Anvil.builder().chainId(10).blockTime(1));

    private static final int WINDOW = 2;
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path stateRoot;

    @Test
    void tuplesHoldExactlyTheOtherChainsBlocksOfTheirWindowOnceThroughARestartAndAReplay() throws Exception {
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.builder()
                .bootstrapServers(KAFKA.bootstrapServers()).storeTopic(new TopicNames("sync-registry").schemas())
                .port(0).replicationFactor(1).build().start();
             NodeReads l1 = new NodeReads(LAYER1.httpUrl());
             NodeReads l2 = new NodeReads(LAYER2.httpUrl());
             EtlStack stack = EtlStack.start("sync", new EtlStack.Endpoints(KAFKA.bootstrapServers(), registry.url(),
                     LAYER1.httpUrl(), LAYER1.wsUrl()), stateRoot, Map.of(
                     "networks.layer2.enabled", "true",
                     "networks.layer2.rpc-url", LAYER2.httpUrl(),
                     "networks.layer2.poll-interval", "100ms",
                     "networks.layer1.reorg-window", Integer.toString(WINDOW),
                     "networks.layer2.reorg-window", Integer.toString(WINDOW)))) {
            var etl = stack.startEtl("a");
            PessimismClient client = PessimismClient.create(etl.apiUrl(), Optional.empty());
            PipelineCreated onL1 = client.createPipeline(live("layer1"));
            PipelineCreated onL2 = client.createPipeline(live("layer2"));
            assertThat(onL1.puuid()).as("the two directions are two pipelines").isNotEqualTo(onL2.puuid());
            OutTopicReader<L1L2BlockSyncOutput> out = new OutTopicReader<>(KAFKA.bootstrapServers(), registry.url(),
                    L1L2BlockSyncOutput.class);

            await("tuples on both pipelines before the restart").atMost(WAIT).ignoreExceptions()
                    .until(() -> tuples(out, onL1.topic()).size() >= 4 && tuples(out, onL2.topic()).size() >= 8);
            etl.close();
            int beforeRestart = tuples(out, onL1.topic()).size();
            etl = stack.startEtl("a"); // the same state directory: the branches resume where they committed
            PessimismClient again = PessimismClient.create(etl.apiUrl(), Optional.empty());
            await("tuples on both pipelines after the restart").atMost(WAIT).ignoreExceptions()
                    .until(() -> tuples(out, onL1.topic()).size() >= beforeRestart + 4
                            && tuples(out, onL2.topic()).size() >= 2 * (beforeRestart + 4));

            List<L1L2BlockSync> l1Tuples = tuples(out, onL1.topic());
            List<L1L2BlockSync> l2Tuples = tuples(out, onL2.topic());
            assertTuples(l1Tuples, l1, l2);
            assertTuples(l2Tuples, l2, l1);
            assertThat(l1Tuples.subList(1, l1Tuples.size())).as("triggered by the slower chain: each tuple holds "
                    + "the faster chain's blocks since the previous one, at least one")
                    .allSatisfy(t -> assertThat(other(t).getBlocks()).isNotEmpty());
            assertThat(l2Tuples).as("triggered by the faster chain: at most one block of the slower chain")
                    .allSatisfy(t -> assertThat(other(t).getBlocks()).hasSizeLessThanOrEqualTo(1));

            // a replay of a finished range of the live run, from the topics
            long start = l1Tuples.get(2).getTrigger().getNumber();
            long end = l1Tuples.get(l1Tuples.size() - 2).getTrigger().getNumber();
            PipelineCreated backtest = again.createPipeline(new CreatePipelineRequest("layer1", "backtest",
                    "l1_l2_block_sync", start, end, "replayer", List.of()));
            PipelineView done = await("the backtest of [" + start + ", " + end + "] is done").atMost(WAIT)
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> again.showPipeline(backtest.puuid()), v -> v.state().equals("done"));
            assertThat(done.status().blocksDone()).isEqualTo(end - start + 1);
            List<L1L2BlockSync> replayed = tuples(out, backtest.topic());
            List<L1L2BlockSync> live = l1Tuples.stream()
                    .filter(t -> t.getTrigger().getNumber() >= start && t.getTrigger().getNumber() <= end).toList();
            assertThat(shapes(replayed)).as("the replay's tuples are the live run's").isEqualTo(shapes(live));
        }
    }

    private static CreatePipelineRequest live(String network) {
        return new CreatePipelineRequest(network, "live", "l1_l2_block_sync", null, null, "risk-engine", List.of());
    }

    /** The tuples on {@code topic} (data records, in order). */
    private static List<L1L2BlockSync> tuples(OutTopicReader<L1L2BlockSyncOutput> out, String topic) {
        return out.readKeyed(topic).stream().map(Keyed::value).map(L1L2BlockSyncOutput::getValue)
                .filter(v -> v != null).toList();
    }

    private static SourceBlocks other(L1L2BlockSync tuple) {
        return tuple.getSources().stream().filter(s -> !s.getTrigger()).findFirst().orElseThrow();
    }

    /**
     * Every tuple complete, none removed, triggers consecutive heights as the trigger node has them,
     * the other chain's blocks as that node has them, each in its tuple's time window, and together
     * every height of the other chain between the first and the last tuple's once.
     */
    private static void assertTuples(List<L1L2BlockSync> tuples, NodeReads triggerNode, NodeReads otherNode) {
        assertThat(tuples).hasSizeGreaterThanOrEqualTo(4);
        List<Long> otherHeights = new ArrayList<>();
        for (int i = 0; i < tuples.size(); i++) {
            L1L2BlockSync tuple = tuples.get(i);
            BlockReference trigger = tuple.getTrigger();
            assertThat(tuple.getRemoved()).isFalse();
            assertThat(tuple.getStalled()).as("no source stalled").isEmpty();
            assertThat(tuple.getLate()).isFalse();
            assertThat(trigger.getHash()).as("trigger %d as the node has it", trigger.getNumber())
                    .isEqualTo(triggerNode.hashAt(trigger.getNumber()));
            if (i > 0) {
                BlockReference previous = tuples.get(i - 1).getTrigger();
                assertThat(trigger.getNumber()).as("one tuple per trigger block, none lost or twice")
                        .isEqualTo(previous.getNumber() + 1);
                assertThat(tuple.getFromTime()).isEqualTo(previous.getTimestamp());
            }
            for (BlockReference block : other(tuple).getBlocks()) {
                assertThat(block.getHash()).as("block %d of %s as the node has it", block.getNumber(),
                        block.getNetwork()).isEqualTo(otherNode.hashAt(block.getNumber()));
                assertThat(block.getTimestamp()).as("in the window of tuple %s", tuple.getTupleId())
                        .isLessThanOrEqualTo(trigger.getTimestamp());
                if (tuple.getFromTime() != null) {
                    assertThat(block.getTimestamp()).isGreaterThan(tuple.getFromTime());
                }
                otherHeights.add(block.getNumber());
            }
        }
        List<Long> afterFirst = otherHeights.subList(other(tuples.get(0)).getBlocks().size(), otherHeights.size());
        for (int i = 1; i < afterFirst.size(); i++) {
            assertThat(afterFirst.get(i)).as("the other chain's blocks, each once, none skipped")
                    .isEqualTo(afterFirst.get(i - 1) + 1);
        }
    }

    /** What makes a tuple: its trigger and every source's blocks (the envelope's times differ between runs). */
    private static List<String> shapes(List<L1L2BlockSync> tuples) {
        return tuples.stream().map(t -> t.getTupleId() + " " + t.getSources().stream()
                .map(s -> s.getNetwork() + s.getBlocks().stream().map(b -> b.getNumber() + ":" + b.getHash()).toList())
                .toList()).toList();
    }
}
