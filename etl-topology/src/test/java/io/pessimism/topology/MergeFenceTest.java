package io.pessimism.topology;

import static io.pessimism.topology.TestBlocks.block;
import static io.pessimism.topology.TestBlocks.hash;
import static io.pessimism.topology.TestBlocks.log;
import static io.pessimism.topology.TestBlocks.retraction;
import static io.pessimism.topology.TestPipelines.interest;
import static org.assertj.core.api.Assertions.assertThat;

import io.pessimism.avro.Block;
import io.pessimism.avro.EventLogOutput;
import io.pessimism.avro.GethBlockOutput;
import io.pessimism.avro.MergedInto;
import io.pessimism.avro.PipelineState;
import io.pessimism.avro.PipelineStatus;
import io.pessimism.registry.Registry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mergeable live pipeline (a backfill with a branch of its own) once the control plane sets its
 * merge fence F on {@code <ns>.state}: it emits through its fence height H as a live pipeline does,
 * then the hand-off marker and MERGED once H can no longer be retracted.
 */
class MergeFenceTest {

    private static final String A = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
    private static final String PING = "Ping(address,uint256)";
    private static final Instant PRODUCED = Instant.ofEpochMilli(1_700_000_000_123L);
    private static final int WINDOW = 3;

    @TempDir
    Path stateDir;

    private static MergedInto into(String register, long fromHeight) {
        return MergedInto.newBuilder()
                .setPuuid("live::layer1:live:oracle:" + register + ":::p0")
                .setTopic("t.live.layer1-" + register + ".out").setFromHeight(fromHeight).build();
    }

    private BranchDriver blocks() {
        return BranchDriver.mergeable(Registry.standard(), ComponentCatalog.standard(), "geth_block", 5, WINDOW,
                stateDir);
    }

    private static List<String> cursors(List<TestRecord<String, GethBlockOutput>> records) {
        return records.stream().map(r -> r.value().getEnvelope().getBlockNumber() + ":"
                + r.value().getEnvelope().getRemoved()).toList();
    }

    @Test
    void withoutAFenceAMergeablePipelineIsAPlainLivePipeline() {
        try (var branch = blocks()) {
            for (long n = 5; n <= 30; n++) {
                branch.pipe(block(n), PRODUCED);
            }
            assertThat(branch.out(GethBlockOutput.class).readValuesToList()).hasSize(26)
                    .extracting(o -> o.getMergedInto()).containsOnlyNulls();
            assertThat(branch.counters.isRangeDone()).isFalse();
            assertThat(branch.statuses().isEmpty()).isTrue();
        }
    }

    @Test
    void itEmitsThroughTheFenceRetractionsIncludedThenTheMarkerOnceTheFenceIsFinal() {
        try (var branch = blocks()) {
            for (long n = 5; n <= 10; n++) {
                branch.pipe(block(n), PRODUCED);
            }
            assertThat(branch.out(GethBlockOutput.class).readKeyValuesToList()).extracting(kv -> kv.key)
                    .as("live: nothing waits for finality").containsExactly("5", "6", "7", "8", "9", "10");

            branch.fence(into("geth_block", 11));
            branch.pipe(retraction(block(10)), PRODUCED);
            Block replacement = Block.newBuilder(block(10)).setHash(hash(10, "b")).build();
            branch.pipe(replacement, PRODUCED);
            for (long n = 11; n <= 12; n++) {
                branch.pipe(block(n), PRODUCED);
            }
            assertThat(cursors(branch.out(GethBlockOutput.class).readRecordsToList()))
                    .as("a retraction at or below the fence is this pipeline's to emit; blocks above it are not")
                    .containsExactly("10:true", "10:false");
            assertThat(branch.counters.isRangeDone()).isFalse();

            branch.pipe(block(13), PRODUCED);
            List<TestRecord<String, GethBlockOutput>> marker = branch.out(GethBlockOutput.class).readRecordsToList();
            assertThat(marker).hasSize(1);
            assertThat(marker.get(0).key()).isEqualTo("10");
            assertThat(marker.get(0).value().getValue()).isNull();
            assertThat(marker.get(0).value().getBacktestEnd()).isNull();
            assertThat(marker.get(0).value().getMergedInto()).isEqualTo(into("geth_block", 11));
            assertThat(marker.get(0).value().getEnvelope().getBlockNumber()).isEqualTo(10);
            assertThat(marker.get(0).value().getEnvelope().getBlockHash()).isEqualTo(replacement.getHash());

            assertThat(branch.statuses().readValuesToList()).extracting(PipelineStatus::getState)
                    .containsExactly(PipelineState.MERGED);
            assertThat(branch.counters.isRangeDone()).isTrue();

            branch.pipe(block(14), PRODUCED);
            assertThat(branch.out(GethBlockOutput.class).isEmpty()).as("nothing after the marker").isTrue();
        }
    }

    @Test
    void aRegisterForEveryOwnerThatWentPastTheFenceHandsOverAfterWhatItEmitted() {
        try (var branch = blocks()) {
            for (long n = 5; n <= 12; n++) {
                branch.pipe(block(n), PRODUCED);
            }
            branch.fence(into("geth_block", 11)); // the shared pipeline emits the same blocks: no gap, no double
            for (long n = 13; n <= 15; n++) {
                branch.pipe(block(n), PRODUCED);
            }
            List<GethBlockOutput> out = branch.out(GethBlockOutput.class).readValuesToList();
            assertThat(out).extracting(o -> o.getEnvelope().getBlockNumber())
                    .containsExactly(5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 12L);
            assertThat(out.get(8).getMergedInto().getFromHeight()).isEqualTo(13);
        }
    }

    @Test
    void anAddressablePipelineHandsOverExactlyAtTheFenceItsRecordsWaitForTheHorizon() {
        try (var branch = BranchDriver.mergeable(Registry.standard(), ComponentCatalog.standard(), "event_log", 5,
                WINDOW, stateDir)) {
            branch.watch(interest(branch.spec, "alice", A, 5, PING));
            branch.confirmInterestsThrough(10);
            for (long n = 5; n <= 16; n++) {
                branch.pipe(block(n, log(A, PING)), PRODUCED);
            }
            var out = branch.out(EventLogOutput.class);
            assertThat(out.readValuesToList()).extracting(o -> o.getEnvelope().getBlockNumber())
                    .containsExactly(5L, 6L, 7L, 8L, 9L, 10L);

            // the control plane: the fence, the moved interests (on the shared pipeline), then the horizon
            branch.fence(into("event_log", 11));
            branch.confirmInterestsThrough(20);
            branch.driver.advanceWallClockTime(Duration.ofMillis(200));

            List<EventLogOutput> rest = out.readValuesToList();
            assertThat(rest).hasSize(1);
            assertThat(rest.get(0).getValue()).isNull();
            assertThat(rest.get(0).getMergedInto().getFromHeight()).as("exactly F: its interests move from F")
                    .isEqualTo(11);
            assertThat(rest.get(0).getEnvelope().getBlockNumber()).isEqualTo(10);
            assertThat(branch.counters.isRangeDone()).isTrue();
        }
    }
}
