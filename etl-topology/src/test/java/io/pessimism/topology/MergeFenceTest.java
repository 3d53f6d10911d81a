package io.pessimism.topology;

import static io.pessimism.topology.TestBlocks.block;
import static io.pessimism.topology.TestBlocks.hash;
import static io.pessimism.topology.TestBlocks.retraction;
import static org.assertj.core.api.Assertions.assertThat;

import io.pessimism.avro.GethBlockOutput;
import io.pessimism.avro.MergedInto;
import io.pessimism.avro.PipelineState;
import io.pessimism.avro.PipelineStatus;
import io.pessimism.registry.Registry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live pipeline being merged (its spec's {@code mergedInto} is its fence): it emits through H as a
 * live pipeline does, then the hand-off marker and MERGED once H can no longer be retracted.
 */
class MergeFenceTest {

    private static final Instant PRODUCED = Instant.ofEpochMilli(1_700_000_000_123L);
    private static final MergedInto FENCE = MergedInto.newBuilder()
            .setPuuid("live::layer1:live:oracle:geth_block::layer1:live:oracle:geth_block:::p0")
            .setTopic("t.live.layer1-geth_block.layer1-geth_block.out").setFromHeight(11).build();

    @TempDir
    Path stateDir;

    private BranchDriver merging() {
        return BranchDriver.merging(Registry.standard(), ComponentCatalog.standard(), "geth_block", 5, FENCE, 3,
                stateDir);
    }

    @Test
    void itEmitsThroughTheFenceAtOnceRetractionsIncludedThenTheMarkerOnceTheFenceIsFinal() {
        try (var branch = merging()) {
            for (long n = 5; n <= 10; n++) {
                branch.pipe(block(n), PRODUCED);
            }
            assertThat(branch.out(GethBlockOutput.class).readKeyValuesToList()).extracting(kv -> kv.key)
                    .as("live: nothing waits for finality").containsExactly("5", "6", "7", "8", "9", "10");

            branch.pipe(retraction(block(10)), PRODUCED);
            branch.pipe(io.pessimism.avro.Block.newBuilder(block(10)).setHash(hash(10, "b")).build(), PRODUCED);
            for (long n = 11; n <= 12; n++) {
                branch.pipe(block(n), PRODUCED);
            }
            List<TestRecord<String, GethBlockOutput>> around = branch.out(GethBlockOutput.class).readRecordsToList();
            assertThat(around).extracting(r -> r.value().getEnvelope().getBlockNumber() + ":"
                            + r.value().getEnvelope().getRemoved())
                    .as("a retraction at or below the fence is this pipeline's to emit; blocks above it are not")
                    .containsExactly("10:true", "10:false");
            assertThat(branch.counters.isRangeDone()).isFalse();

            branch.pipe(block(13), PRODUCED);
            List<TestRecord<String, GethBlockOutput>> marker = branch.out(GethBlockOutput.class).readRecordsToList();
            assertThat(marker).hasSize(1);
            assertThat(marker.get(0).key()).isEqualTo("10");
            assertThat(marker.get(0).value().getValue()).isNull();
            assertThat(marker.get(0).value().getBacktestEnd()).isNull();
            assertThat(marker.get(0).value().getMergedInto()).isEqualTo(FENCE);
            assertThat(marker.get(0).value().getEnvelope().getBlockNumber()).isEqualTo(10);
            assertThat(marker.get(0).value().getEnvelope().getBlockHash()).isEqualTo(hash(10, "b"));

            List<TestRecord<String, PipelineStatus>> statuses = branch.statuses().readRecordsToList();
            assertThat(statuses).extracting(r -> r.value().getState()).containsExactly(PipelineState.MERGED);
            assertThat(branch.counters.isRangeDone()).isTrue();

            branch.pipe(block(14), PRODUCED);
            assertThat(branch.out(GethBlockOutput.class).isEmpty()).as("nothing after the marker").isTrue();
        }
    }
}
