package io.pessimism.aggregator;

import static io.pessimism.aggregator.SyncBlocks.GENESIS;
import static io.pessimism.aggregator.SyncBlocks.byTime;
import static io.pessimism.aggregator.SyncBlocks.fork;
import static io.pessimism.aggregator.SyncBlocks.l1;
import static io.pessimism.aggregator.SyncBlocks.l2;
import static io.pessimism.aggregator.SyncBlocks.numbers;
import static io.pessimism.aggregator.SyncBlocks.retraction;
import static io.pessimism.aggregator.SyncBlocks.source;
import static org.assertj.core.api.Assertions.assertThat;

import io.pessimism.avro.Block;
import io.pessimism.avro.L1L2BlockSync;
import io.pessimism.avro.L1L2BlockSyncOutput;
import io.pessimism.avro.PipelineState;
import io.pessimism.network.Network;
import io.pessimism.registry.Registry;
import io.pessimism.topology.BranchDriver;
import io.pessimism.topology.ComponentCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The l1_l2_block_sync branch as the generator builds it, in a TopologyTestDriver: layer1 blocks
 * every 12 s and layer2 blocks every 2 s, triggered either way; placement by block time whatever
 * the arrival order, the wait for the other source, its bound, late blocks and retractions.
 */
class L1L2BlockSyncBranchTest {

    private static final Instant PRODUCED = Instant.ofEpochMilli(1_700_000_000_500L);
    private static final Duration MAX_WAIT = Duration.ofSeconds(5);
    private static final int WINDOW = 4;
    private static final int L1 = 0;
    private static final int L2 = 1;

    @TempDir
    Path stateDir;
    private int drivers;

    private BranchDriver sync(Network trigger) {
        return BranchDriver.live(Registry.standard(), ComponentCatalog.standard(), "l1_l2_block_sync", trigger, null,
                WINDOW, MAX_WAIT, stateDir.resolve("d" + drivers++));
    }

    private static List<L1L2BlockSyncOutput> out(BranchDriver branch) {
        return branch.out(L1L2BlockSyncOutput.class).readValuesToList();
    }


    private static void pipe(BranchDriver branch, List<Block> blocks) {
        blocks.forEach(block -> branch.pipeOnItsNetwork(block, PRODUCED));
    }

    @Test
    void eachInputEdgeIsANamedTagNodeAndTheStoresAreTheComponents() {
        try (var branch = sync(Network.LAYER1)) {
            String text = branch.topology.describe().toString();
            assertThat(text).containsSubsequence("Source: geth_block.layer1", "--> l1_l2_block_sync.layer1.input-0")
                    .containsSubsequence("Source: geth_block.layer2", "--> l1_l2_block_sync.layer1.input-1")
                    .contains("Processor: l1_l2_block_sync.layer1 (stores: [")
                    .contains("l1_l2_block_sync.layer1.pending", "l1_l2_block_sync.layer1.tuples",
                            "l1_l2_block_sync.layer1.position")
                    .containsSubsequence("Processor: l1_l2_block_sync.layer1 ", "--> out");
            assertThat(branch.spec.getPid())
                    .isEqualTo("live::layer1:live:aggregator:l1_l2_block_sync::layer1:live:oracle:geth_block");
        }
    }

    @Test
    void triggeredByTheSlowerChainEachTupleHoldsOneL1BlockAndTheL2BlocksOfItsTwelveSeconds() {
        try (var branch = sync(Network.LAYER1)) {
            pipe(branch, byTime(4, 25)); // layer2 at 50 s has passed layer1's 4th block (48 s)

            List<L1L2BlockSyncOutput> out = out(branch);
            assertThat(out).hasSize(4);
            for (int k = 1; k <= 4; k++) {
                L1L2BlockSyncOutput tuple = out.get(k - 1);
                assertThat(numbers(tuple, L1)).as("A: [x_i]").containsExactly((long) k);
                assertThat(numbers(tuple, L2)).as("B: [y_j … y_n], the layer2 blocks in (x_{i-1}, x_i]")
                        .containsExactlyElementsOf(LongStream.rangeClosed(6L * k - 5, 6L * k).boxed().toList());
                assertThat(tuple.getValue().getTupleId()).isEqualTo("layer1:" + k + ":" + l1(k).getHash());
                assertThat(tuple.getValue().getTrigger().getTimestamp()).isEqualTo(GENESIS + 12 * k);
                assertThat(tuple.getValue().getFromTime()).isEqualTo(k == 1 ? null : GENESIS + 12 * (k - 1));
                assertThat(tuple.getValue().getStalled()).isEmpty();
                assertThat(tuple.getValue().getLate()).isFalse();
                assertThat(tuple.getEnvelope().getBlockNumber()).isEqualTo(k);
                assertThat(tuple.getEnvelope().getRegister()).isEqualTo("l1_l2_block_sync");
                assertThat(tuple.getEnvelope().getRemoved()).isFalse();
            }
            assertThat(source(out.get(0), L1).getTrigger()).isTrue();
            assertThat(source(out.get(0), L2).getSource()).isEqualTo("geth_block@layer2");
            assertThat(branch.counters.height()).as("every trigger block's tuple is out").hasValue(4);
        }
    }

    @Test
    void triggeredByTheFasterChainEachTupleHoldsOneL2BlockAndAnL1BlockOrNone() {
        try (var branch = sync(Network.LAYER2)) {
            pipe(branch, byTime(4, 18));

            List<L1L2BlockSyncOutput> out = out(branch);
            assertThat(out).as("layer1 has passed layer2's blocks up to 18 (36 s, its block 3)").hasSize(18);
            for (int j = 1; j <= 18; j++) {
                L1L2BlockSyncOutput tuple = out.get(j - 1);
                assertThat(numbers(tuple, L2)).as("B: [y_j]").containsExactly((long) j);
                assertThat(numbers(tuple, L1)).as("A: [null or x_i]: a tie goes to the trigger")
                        .isEqualTo(j % 6 == 0 ? List.of(j / 6L) : List.of());
                assertThat(tuple.getValue().getTriggerNetwork()).isEqualTo("layer2");
            }
            assertThat(branch.spec.getPid())
                    .isEqualTo("live::layer2:live:aggregator:l1_l2_block_sync::layer2:live:oracle:geth_block");
        }
    }

    @Test
    void aTupleWaitsUntilTheOtherSourceHasPassedItsTriggerTime() {
        try (var branch = sync(Network.LAYER1)) {
            pipe(branch, byTime(1, 6)); // layer2 reached 12 s, the trigger's time, not past it
            assertThat(out(branch)).as("a layer2 block at 12 s could still come").isEmpty();
            assertThat(branch.counters.height()).as("below the trigger waiting").hasValue(0);

            branch.pipeOnItsNetwork(l2(7), PRODUCED);
            List<L1L2BlockSyncOutput> out = out(branch);
            assertThat(out).hasSize(1);
            assertThat(numbers(out.get(0), L2)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
            assertThat(branch.counters.height()).hasValue(1);
        }
    }

    @Test
    void lateAndOutOfOrderArrivalGiveTheSameTuplesInEveryInterleavingOfTheSources() {
        for (Network trigger : Network.values()) {
            List<Block> timeOrder = byTime(5, 34);
            List<L1L2BlockSync> expected = values(trigger, timeOrder);
            assertThat(expected).hasSize(trigger == Network.LAYER1 ? 5 : 29);

            List<Block> l1First = new ArrayList<>(timeOrder);
            l1First.sort(Comparator.comparing(Block::getNetwork)); // stable: each chain stays in its order
            List<Block> l2First = new ArrayList<>(l1First);
            l2First.sort(Comparator.comparing(Block::getNetwork).reversed());
            assertThat(values(trigger, l1First)).as("every layer1 block, then every layer2 block").isEqualTo(expected);
            assertThat(values(trigger, l2First)).as("every layer2 block, then every layer1 block").isEqualTo(expected);
            for (long seed = 1; seed <= 3; seed++) {
                assertThat(values(trigger, shuffleKeepingChainOrder(timeOrder, new Random(seed))))
                        .as("random interleaving %d", seed).isEqualTo(expected);
            }
        }
    }

    private List<L1L2BlockSync> values(Network trigger, List<Block> arrival) {
        try (var branch = sync(trigger)) {
            pipe(branch, arrival);
            return out(branch).stream().map(L1L2BlockSyncOutput::getValue).toList();
        }
    }

    /** A random merge of the two chains, each chain's blocks in their order. */
    private static List<Block> shuffleKeepingChainOrder(List<Block> blocks, Random random) {
        List<Block> first = blocks.stream().filter(b -> b.getNetwork().equals("layer1")).toList();
        List<Block> second = blocks.stream().filter(b -> b.getNetwork().equals("layer2")).toList();
        List<Block> merged = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < first.size() || j < second.size()) {
            boolean takeFirst = j == second.size() || (i < first.size() && random.nextInt(4) == 0);
            merged.add(takeFirst ? first.get(i++) : second.get(j++));
        }
        return merged;
    }

    @Test
    void aSilentSourceIsWaitedForAtMostMaxWaitThenTheTupleIsMarkedStalledAndItsLateBlocksGoIntoTheNext() {
        try (var branch = sync(Network.LAYER1)) {
            pipe(branch, byTime(1, 4)); // layer2 stops at 8 s
            branch.driver.advanceWallClockTime(MAX_WAIT.minusSeconds(1));
            assertThat(out(branch)).as("still within the wait").isEmpty();

            branch.driver.advanceWallClockTime(Duration.ofSeconds(2));
            List<L1L2BlockSyncOutput> stalled = out(branch);
            assertThat(stalled).hasSize(1);
            assertThat(numbers(stalled.get(0), L2)).containsExactly(1L, 2L, 3L, 4L);
            assertThat(stalled.get(0).getValue().getStalled()).containsExactly("geth_block@layer2");
            assertThat(source(stalled.get(0), L2).getStalled()).isTrue();
            assertThat(source(stalled.get(0), L1).getStalled()).isFalse();
            assertThat(branch.counters.stalledTuples()).isEqualTo(1);

            // layer2 comes back: its blocks 5 and 6 (10 s, 12 s) belonged to the stalled tuple
            pipe(branch, List.of(l2(5), l2(6), l2(7), l2(8), l2(9), l2(10), l2(11), l2(12), l1(2), l2(13)));
            List<L1L2BlockSyncOutput> next = out(branch);
            assertThat(next).hasSize(1);
            assertThat(numbers(next.get(0), L2)).as("late ones first, in time order, none lost, none twice")
                    .containsExactly(5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L);
            assertThat(next.get(0).getValue().getLate()).isTrue();
            assertThat(next.get(0).getValue().getFromTime()).isEqualTo(GENESIS + 12);
            assertThat(next.get(0).getValue().getStalled()).isEmpty();
            assertThat(branch.counters.stalledTuples()).isEqualTo(1);
        }
    }

    @Test
    void aSourceStillSendingBlocksIsNotStalledByTheWait() {
        try (var branch = sync(Network.LAYER2)) {
            pipe(branch, List.of(l2(1)));
            branch.driver.advanceWallClockTime(MAX_WAIT.minusSeconds(1));
            pipe(branch, List.of(l1(0)));
            branch.driver.advanceWallClockTime(MAX_WAIT.minusSeconds(1));
            assertThat(out(branch)).as("layer1 sent a block %s ago", MAX_WAIT.minusSeconds(1)).isEmpty();
            branch.driver.advanceWallClockTime(Duration.ofSeconds(2));
            assertThat(out(branch)).singleElement().satisfies(t -> assertThat(t.getValue().getStalled())
                    .containsExactly("geth_block@layer1"));
        }
    }

    @Test
    void aRetractedL2BlockInsideAnEmittedTupleRetractsItBeforeTheTupleHoldingItsReplacement() {
        try (var branch = sync(Network.LAYER1)) {
            pipe(branch, byTime(1, 7));
            List<L1L2BlockSyncOutput> first = out(branch);
            assertThat(first).singleElement().satisfies(t -> assertThat(numbers(t, L2)).containsExactly(1L, 2L, 3L,
                    4L, 5L, 6L));

            // a layer2 reorg of depth 2: 7 (pending) and 6 (in the tuple) retracted newest first, then the new chain
            pipe(branch, List.of(retraction(l2(7)), retraction(l2(6))));
            List<L1L2BlockSyncOutput> retracted = out(branch);
            assertThat(retracted).singleElement().satisfies(t -> {
                assertThat(t.getValue().getTupleId()).isEqualTo(first.get(0).getValue().getTupleId());
                assertThat(t.getValue().getRemoved()).isTrue();
                assertThat(t.getEnvelope().getRemoved()).isTrue();
                assertThat(numbers(t, L2)).as("what it retracts").containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
            });

            pipe(branch, List.of(fork(l2(6)), fork(l2(7))));
            List<L1L2BlockSyncOutput> replaced = out(branch);
            assertThat(replaced).singleElement().satisfies(t -> {
                assertThat(t.getValue().getTupleId()).isEqualTo(first.get(0).getValue().getTupleId());
                assertThat(t.getValue().getRemoved()).isFalse();
                assertThat(numbers(t, L2)).as("its other blocks are not lost").containsExactly(1L, 2L, 3L, 4L, 5L,
                        6L);
                assertThat(t.getValue().getSources().get(L2).getBlocks().get(5).getHash())
                        .isEqualTo(fork(l2(6)).getHash());
            });

            pipe(branch, List.of(l2(8), l2(9), l2(10), l2(11), l2(12), l1(2), l2(13)));
            assertThat(out(branch)).singleElement().satisfies(t -> {
                assertThat(numbers(t, L2)).containsExactly(7L, 8L, 9L, 10L, 11L, 12L);
                assertThat(t.getValue().getSources().get(L2).getBlocks().get(0).getHash())
                        .as("the replacement, not the orphan").isEqualTo(fork(l2(7)).getHash());
            });
        }
    }

    @Test
    void aRetractedTriggerBlockRetractsItsTupleAndItsL2BlocksGoToTheReplacementTrigger() {
        try (var branch = sync(Network.LAYER1)) {
            pipe(branch, byTime(2, 13));
            assertThat(out(branch)).hasSize(2);

            pipe(branch, List.of(retraction(l1(2)), fork(l1(2))));
            List<L1L2BlockSyncOutput> out = out(branch);
            assertThat(out).hasSize(2);
            assertThat(out.get(0).getValue().getTupleId()).isEqualTo("layer1:2:" + l1(2).getHash());
            assertThat(out.get(0).getValue().getRemoved()).isTrue();
            assertThat(out.get(1).getValue().getTupleId()).isEqualTo("layer1:2:" + fork(l1(2)).getHash());
            assertThat(out.get(1).getValue().getRemoved()).isFalse();
            assertThat(numbers(out.get(1), L2)).containsExactly(7L, 8L, 9L, 10L, 11L, 12L);
            assertThat(out.get(1).getValue().getFromTime()).as("after the first tuple, still standing")
                    .isEqualTo(GENESIS + 12);
        }
    }

    @Test
    void aRetractionOfABlockNotYetInATupleJustDropsIt() {
        try (var branch = sync(Network.LAYER1)) {
            pipe(branch, byTime(0, 5));
            pipe(branch, List.of(retraction(l2(5)), retraction(l2(4)), fork(l2(4)), fork(l2(5)), l2(6), l1(1), l2(7)));
            assertThat(out(branch)).singleElement().satisfies(t -> {
                assertThat(numbers(t, L2)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
                assertThat(t.getValue().getSources().get(L2).getBlocks()).extracting(b -> b.getHash())
                        .contains(fork(l2(4)).getHash(), fork(l2(5)).getHash())
                        .doesNotContain(l2(4).getHash(), l2(5).getHash());
            });
        }
    }

    @Test
    void aBacktestOfTheSyncHoldsExactlyItsRangesTuplesThenItsEnd() {
        try (var branch = BranchDriver.backtest(Registry.standard(), ComponentCatalog.standard(), "l1_l2_block_sync",
                Network.LAYER1, 2, 3, 1, stateDir)) {
            // the runtime starts layer2 after layer1's block 1 (12 s): its block 7
            List<Block> blocks = new ArrayList<>(byTime(6, 40));
            blocks.removeIf(b -> b.getNetwork().equals("layer2") && b.getNumber() < 7);
            pipe(branch, blocks);

            List<TestRecord<String, L1L2BlockSyncOutput>> out = branch.out(L1L2BlockSyncOutput.class)
                    .readRecordsToList();
            assertThat(out).extracting(TestRecord::key).containsExactly("2", "3", "3");
            assertThat(numbers(out.get(0).value(), L2)).containsExactly(7L, 8L, 9L, 10L, 11L, 12L);
            assertThat(numbers(out.get(1).value(), L2)).containsExactly(13L, 14L, 15L, 16L, 17L, 18L);
            assertThat(out.get(2).value().getBacktestEnd().getRecords()).isEqualTo(2);
            assertThat(branch.statuses().readValuesToList()).extracting(s -> s.getState())
                    .containsExactly(PipelineState.DONE);
        }
    }
}
