package io.pessimism.aggregator;

import static io.pessimism.aggregator.SyncBlocks.byTime;
import static io.pessimism.aggregator.SyncBlocks.l2;
import static io.pessimism.aggregator.SyncBlocks.numbers;
import static io.pessimism.aggregator.SyncBlocks.retraction;
import static org.assertj.core.api.Assertions.assertThat;

import io.pessimism.avro.L1L2BlockSyncOutput;
import io.pessimism.network.Network;
import io.pessimism.topology.BranchDriver;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The aggregator over three sources (a test register: layer1 blocks, layer2 blocks and a pipe passing
 * every third layer2 block), built by the generator: each source's blocks by block time, whichever
 * source triggers, and through a pipe input.
 */
class ThreeSourceSyncTest {

    private static final Instant PRODUCED = Instant.ofEpochMilli(1_700_000_000_500L);
    private static final int L1 = 0;
    private static final int L2 = 1;
    private static final int THIRD = 2;

    @TempDir
    Path stateDir;

    private BranchDriver sync(Network trigger, String dir) {
        return BranchDriver.live(ThreeSourceRegisters.registry(), ThreeSourceRegisters.catalog(), "tri_block_sync",
                trigger, null, 4, Duration.ofSeconds(5), stateDir.resolve(dir));
    }


    @Test
    void theThirdInputIsAPipeTaggedLikeTheSources() {
        try (var branch = sync(Network.LAYER1, "describe")) {
            assertThat(branch.topology.describe().toString())
                    .containsSubsequence("Source: geth_block.layer2", "--> ", "third_block.layer2")
                    .containsSubsequence("Processor: third_block.layer2", "--> tri_block_sync.layer1.input-2")
                    .containsSubsequence("Processor: tri_block_sync.layer1.input-2", "--> tri_block_sync.layer1");
        }
    }

    @Test
    void triggeredByLayer1EachTupleHoldsEachSourcesBlocksOfItsWindow() {
        try (var branch = sync(Network.LAYER1, "l1")) {
            // the third source passes layer1's 3rd block (36 s) with layer2's block 21 (42 s)
            byTime(3, 21).forEach(b -> branch.pipeOnItsNetwork(b, PRODUCED));

            List<L1L2BlockSyncOutput> out = branch.out(L1L2BlockSyncOutput.class).readValuesToList();
            assertThat(out).hasSize(3);
            for (int k = 1; k <= 3; k++) {
                L1L2BlockSyncOutput tuple = out.get(k - 1);
                assertThat(numbers(tuple, L1)).containsExactly((long) k);
                assertThat(numbers(tuple, L2))
                        .containsExactlyElementsOf(LongStream.rangeClosed(6L * k - 5, 6L * k).boxed().toList());
                assertThat(numbers(tuple, THIRD)).containsExactly(6L * k - 3, 6L * k);
                assertThat(tuple.getValue().getSources().get(THIRD).getSource()).isEqualTo("third_block@layer2");
            }
        }
    }

    @Test
    void triggeredByLayer2TheOtherTwoSourcesAreOftenEmpty() {
        try (var branch = sync(Network.LAYER2, "l2")) {
            byTime(3, 13).forEach(b -> branch.pipeOnItsNetwork(b, PRODUCED));

            List<L1L2BlockSyncOutput> out = branch.out(L1L2BlockSyncOutput.class).readValuesToList();
            assertThat(out).as("the third source's last block is layer2's 12 (24 s): the tuples of layer2's 12 and 13 wait for it")
                    .hasSize(11);
            for (int j = 1; j <= 11; j++) {
                assertThat(numbers(out.get(j - 1), L2)).containsExactly((long) j);
                assertThat(numbers(out.get(j - 1), THIRD)).isEqualTo(j % 3 == 0 ? List.of((long) j) : List.of());
                assertThat(numbers(out.get(j - 1), L1)).isEqualTo(j % 6 == 0 ? List.of(j / 6L) : List.of());
            }
        }
    }

    @Test
    void aRetractionThroughThePipeRetractsTheTupleHoldingIt() {
        try (var branch = sync(Network.LAYER1, "reorg")) {
            byTime(1, 9).forEach(b -> branch.pipeOnItsNetwork(b, PRODUCED));
            var out = branch.out(L1L2BlockSyncOutput.class);
            assertThat(out.readValuesToList()).singleElement()
                    .satisfies(t -> assertThat(numbers(t, THIRD)).containsExactly(3L, 6L));

            for (long n = 9; n >= 6; n--) {
                branch.pipeOnItsNetwork(retraction(l2(n)), PRODUCED);
            }
            assertThat(out.readValuesToList()).singleElement().satisfies(t -> {
                assertThat(t.getValue().getRemoved()).isTrue();
                assertThat(numbers(t, THIRD)).containsExactly(3L, 6L);
            });
            for (long n = 6; n <= 9; n++) {
                branch.pipeOnItsNetwork(SyncBlocks.fork(l2(n)), PRODUCED);
            }
            assertThat(out.readValuesToList()).singleElement().satisfies(t -> {
                assertThat(t.getValue().getRemoved()).isFalse();
                assertThat(numbers(t, L2)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
                assertThat(numbers(t, THIRD)).containsExactly(3L, 6L);
                assertThat(t.getValue().getSources().get(THIRD).getBlocks().get(1).getHash())
                        .isEqualTo(SyncBlocks.fork(l2(6)).getHash());
            });
        }
    }
}
