package io.pessimism.topology.bench;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pessimism.avro.BlockReference;
import io.pessimism.avro.L1L2BlockSync;
import io.pessimism.avro.SourceBlocks;
import io.pessimism.topology.bench.AggregateOutputCheck.Forwarded;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The bench's output checks accept the right output and reject a lost, repeated or misplaced block or tuple. */
class AggregateOutputCheckTest {

    private static final int TUPLES = 3;

    @Test
    void theRightTuplesPassAndAMissingOrWrongTupleOrBlockFails() {
        assertThatCode(() -> AggregateOutputCheck.tuples(tuples(TUPLES + 1), TUPLES, "pass 1"))
                .as("one tuple per layer1 block, the span's closing one after them").doesNotThrowAnyException();

        assertThatThrownBy(() -> AggregateOutputCheck.tuples(tuples(TUPLES - 1), TUPLES, "pass 1"))
                .hasMessageContaining("pass 1: 2 tuples, fewer than the 3");

        List<L1L2BlockSync> skipped = new ArrayList<>(tuples(TUPLES + 1));
        skipped.remove(1);
        assertThatThrownBy(() -> AggregateOutputCheck.tuples(skipped, TUPLES, "pass 1"))
                .hasMessageContaining("tuple 2 is not complete and triggered by layer1 block 2");

        List<L1L2BlockSync> twice = tuples(TUPLES);
        twice.get(1).getSources().get(1).setBlocks(List.of(l2(2), l2(3), l2(4)));
        assertThatThrownBy(() -> AggregateOutputCheck.tuples(twice, TUPLES, "pass 1"))
                .as("layer2 block 2 in two tuples").hasMessageContaining("holds layer2 block 2");

        List<L1L2BlockSync> lost = tuples(TUPLES);
        lost.get(2).getSources().get(1).setBlocks(List.of(l2(5)));
        assertThatThrownBy(() -> AggregateOutputCheck.tuples(lost, TUPLES, "pass 1"))
                .as("layer2 block 6 in no tuple").hasMessageContaining("layer2 blocks 1..5, not 1..6");

        List<L1L2BlockSync> stalled = tuples(TUPLES);
        stalled.get(0).setStalled(List.of("geth_block@layer2"));
        assertThatThrownBy(() -> AggregateOutputCheck.tuples(stalled, TUPLES, "pass 1"))
                .hasMessageContaining("tuple 1 is not complete");
    }

    @Test
    void thePassThroughMustWriteEveryBlockOfTheSpanOnceAndNothingElse() {
        List<Forwarded> all = new ArrayList<>();
        LongStream.rangeClosed(1, TUPLES).forEach(n -> all.add(new Forwarded("layer1", n)));
        LongStream.rangeClosed(1, 2 * TUPLES).forEach(m -> all.add(new Forwarded("layer2", m)));
        assertThatCode(() -> AggregateOutputCheck.forwarded(all, TUPLES, "pass 2")).doesNotThrowAnyException();

        List<Forwarded> withClosing = new ArrayList<>(all);
        withClosing.add(new Forwarded("layer1", TUPLES + 1));
        assertThatCode(() -> AggregateOutputCheck.forwarded(withClosing, TUPLES, "pass 2"))
                .as("the span's closing block may be through too").doesNotThrowAnyException();

        List<Forwarded> missing = new ArrayList<>(all);
        missing.remove(new Forwarded("layer2", 4));
        assertThatThrownBy(() -> AggregateOutputCheck.forwarded(missing, TUPLES, "pass 2"))
                .hasMessageContaining("pass 2: the pass-through did not write layer2 block 4");

        List<Forwarded> repeated = new ArrayList<>(all);
        repeated.add(new Forwarded("layer1", 2));
        assertThatThrownBy(() -> AggregateOutputCheck.forwarded(repeated, TUPLES, "pass 2"))
                .hasMessageContaining("twice");

        List<Forwarded> unknown = new ArrayList<>(all);
        unknown.add(new Forwarded("layer2", 2L * TUPLES + 3));
        assertThatThrownBy(() -> AggregateOutputCheck.forwarded(unknown, TUPLES, "pass 2"))
                .hasMessageContaining("never filled");
    }

    /** The right tuples of the bench's chains: layer1 block n at 2n s with layer2 blocks 2n-1 and 2n. */
    private static List<L1L2BlockSync> tuples(int count) {
        List<L1L2BlockSync> tuples = new ArrayList<>();
        for (long n = 1; n <= count; n++) {
            BlockReference trigger = new BlockReference("layer1", n, "0x" + n, 2 * n);
            tuples.add(L1L2BlockSync.newBuilder().setTupleId("layer1:" + n + ":0x" + n).setTriggerNetwork("layer1")
                    .setTrigger(trigger).setFromTime(n == 1 ? null : 2 * (n - 1))
                    .setSources(List.of(
                            new SourceBlocks("geth_block@layer1", "layer1", true, List.of(trigger), false),
                            new SourceBlocks("geth_block@layer2", "layer2", false, List.of(l2(2 * n - 1), l2(2 * n)),
                                    false)))
                    .setStalled(List.of()).setLate(false).setRemoved(false).build());
        }
        return tuples;
    }

    private static BlockReference l2(long m) {
        return new BlockReference("layer2", m, "0xb" + m, m);
    }
}
