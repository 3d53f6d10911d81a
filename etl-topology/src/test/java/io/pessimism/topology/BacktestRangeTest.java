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
import io.pessimism.avro.PipelineState;
import io.pessimism.avro.PipelineStatus;
import io.pessimism.registry.Registry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backtest's range as nodes of its generated topology ({@link RangeGate}, {@link RangeEnd}): exactly
 * the canonical chain of the range, once, then the end marker and DONE, in a TopologyTestDriver.
 */
class BacktestRangeTest {

    private static final String A = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
    private static final String PING = "Ping(address,uint256)";
    private static final Instant PRODUCED = Instant.ofEpochMilli(1_700_000_000_123L);
    private static final int WINDOW = 3;

    @TempDir
    Path stateDir;

    private BranchDriver blocks(long start, long end) {
        return BranchDriver.backtest(Registry.standard(), ComponentCatalog.standard(), "geth_block", start, end, WINDOW,
                stateDir);
    }

    private static void pipeChain(BranchDriver branch, long from, long to) {
        for (long n = from; n <= to; n++) {
            branch.pipe(block(n), PRODUCED);
        }
    }

    @Test
    void theRangeIsTwoNamedNodesOfTheGeneratedTopology() {
        try (var branch = blocks(5, 15)) {
            TopologyDescription description = branch.topology.describe();
            String text = description.toString();
            assertThat(text).contains("Processor: " + NodeNames.RANGE_GATE)
                    .contains("Processor: " + NodeNames.RANGE_END)
                    .contains("Sink: " + NodeNames.STATUS);
            assertThat(text).containsSubsequence("Source: geth_block.layer1", "--> range-gate",
                    "Processor: range-gate", "--> geth_block.layer1.delivery, range-end",
                    "Processor: geth_block.layer1.delivery", "--> range-end",
                    "Processor: range-end", "--> out, status");
        }
    }

    @Test
    void aBacktestEmitsExactlyItsRangeOnceThenItsEndMarkerAndDoneInTheSameTopology() {
        try (var branch = blocks(5, 15)) {
            pipeChain(branch, 1, 40);

            List<TestRecord<String, GethBlockOutput>> out = branch.out(GethBlockOutput.class).readRecordsToList();
            assertThat(out).hasSize(12);
            List<TestRecord<String, GethBlockOutput>> data = out.subList(0, 11);
            assertThat(data).extracting(TestRecord::key)
                    .containsExactly("5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15");
            assertThat(data).extracting(r -> r.value().getValue().getHash())
                    .containsExactly(hash(5, ""), hash(6, ""), hash(7, ""), hash(8, ""), hash(9, ""), hash(10, ""),
                            hash(11, ""), hash(12, ""), hash(13, ""), hash(14, ""), hash(15, ""));
            assertThat(data).extracting(r -> r.value().getBacktestEnd()).containsOnlyNulls();
            assertThat(data).extracting(TestRecord::timestamp).as("each keeps its block record's timestamp")
                    .containsOnly(PRODUCED.toEpochMilli());

            GethBlockOutput end = out.get(11).value();
            assertThat(out.get(11).key()).isEqualTo("15");
            assertThat(end.getValue()).isNull();
            assertThat(end.getMergedInto()).isNull();
            assertThat(end.getBacktestEnd().getPuuid()).isEqualTo(branch.spec.getPuuid());
            assertThat(end.getBacktestEnd().getStartHeight()).isEqualTo(5);
            assertThat(end.getBacktestEnd().getEndHeight()).isEqualTo(15);
            assertThat(end.getBacktestEnd().getRecords()).isEqualTo(11);
            assertThat(end.getEnvelope().getBlockNumber()).isEqualTo(15);
            assertThat(end.getEnvelope().getBlockHash()).isEqualTo(hash(15, ""));

            List<TestRecord<String, PipelineStatus>> statuses = branch.statuses().readRecordsToList();
            assertThat(statuses).hasSize(1);
            assertThat(statuses.get(0).key()).isEqualTo(branch.spec.getPuuid());
            assertThat(statuses.get(0).value().getState()).isEqualTo(PipelineState.DONE);
            assertThat(statuses.get(0).value().getHeight()).isEqualTo(15);
            assertThat(statuses.get(0).value().getBlocksDone()).as("every block of the range").isEqualTo(11);
            assertThat(statuses.get(0).value().getBlocksTotal()).isEqualTo(11);
            assertThat(branch.counters.isRangeDone()).isTrue();
            assertThat(branch.counters.height()).as("the branch's height is the range's end").hasValue(15);

            pipeChain(branch, 41, 45);
            assertThat(branch.out(GethBlockOutput.class).isEmpty()).as("nothing after the end marker").isTrue();
            assertThat(branch.statuses().isEmpty()).isTrue();
        }
    }

    @Test
    void aBacktestOfItsOwnSourceReadsThatTopicOnlyAndLetsEachBlockOutAtOnceSinceItHoldsFinalBlocksOnly() {
        try (var branch = BranchDriver.backtestOfOwnSource(Registry.standard(), ComponentCatalog.standard(),
                "event_log", 5, 15, WINDOW, stateDir)) {
            String source = branch.topics.names().source(branch.spec.getPrefix());
            assertThat(branch.topology.describe().toString())
                    .contains("Source: geth_block.layer1 (topics: [" + source + "])")
                    .doesNotContain(branch.topics.blocks(io.pessimism.network.Network.LAYER1).name());
            branch.watch(interest(branch.spec, "alice", A, 5, PING));
            for (long n = 5; n <= 14; n++) {
                branch.source().pipeInput(Long.toString(n), block(n, log(A, PING)), PRODUCED);
            }
            assertThat(branch.out(EventLogOutput.class).readRecordsToList()).extracting(r -> r.value().getEnvelope()
                    .getBlockNumber()).as("no reorg window: each block of the source is out at once")
                    .containsExactly(5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L);
            assertThat(branch.counters.isRangeDone()).isFalse();

            branch.source().pipeInput("15", block(15, log(A, PING)), PRODUCED);
            List<EventLogOutput> out = branch.out(EventLogOutput.class).readValuesToList();
            assertThat(out).hasSize(2);
            assertThat(out.get(0).getEnvelope().getBlockNumber()).isEqualTo(15);
            assertThat(out.get(1).getBacktestEnd().getRecords()).isEqualTo(11);
            assertThat(branch.statuses().readValuesToList()).singleElement()
                    .satisfies(s -> assertThat(s.getState()).isEqualTo(PipelineState.DONE));
            assertThat(branch.counters.isRangeDone()).as("the end block is the last one its source holds").isTrue();
        }
    }

    @Test
    void aBlockIsOutOnlyOnceTheSourceIsAReorgWindowPastItAndTheEndWaitsForTheWindowPastTheEnd() {
        try (var branch = blocks(5, 15)) {
            pipeChain(branch, 5, 12);
            assertThat(branch.out(GethBlockOutput.class).readKeyValuesToList()).extracting(kv -> kv.key)
                    .as("the source is at 12: blocks up to 12 - 3 are final").containsExactly("5", "6", "7", "8", "9");

            pipeChain(branch, 13, 17);
            assertThat(branch.out(GethBlockOutput.class).readKeyValuesToList()).extracting(kv -> kv.key)
                    .containsExactly("10", "11", "12", "13", "14");
            assertThat(branch.counters.isRangeDone()).as("15 + 3 not reached yet").isFalse();

            branch.pipe(block(18), PRODUCED);
            List<TestRecord<String, GethBlockOutput>> last = branch.out(GethBlockOutput.class).readRecordsToList();
            assertThat(last).extracting(TestRecord::key).containsExactly("15", "15");
            assertThat(last.get(1).value().getBacktestEnd()).isNotNull();
            assertThat(branch.counters.isRangeDone()).isTrue();
        }
    }

    @Test
    void orphanedBlocksOfTheRangeAndTheirRetractionsAreNotEmittedOnlyTheCanonicalChain() {
        try (var branch = blocks(5, 15)) {
            pipeChain(branch, 5, 12);
            // a reorg of depth 3 at 12: the oracle retracts 12, 11, 10 (newest first), then the new chain
            for (long n = 12; n >= 10; n--) {
                branch.pipe(retraction(block(n)), PRODUCED);
            }
            for (long n = 10; n <= 20; n++) {
                branch.pipe(fork(n), PRODUCED);
            }

            List<TestRecord<String, GethBlockOutput>> out = branch.out(GethBlockOutput.class).readRecordsToList();
            List<TestRecord<String, GethBlockOutput>> data = out.subList(0, out.size() - 1);
            assertThat(data).extracting(r -> r.value().getEnvelope().getRemoved()).containsOnly(false);
            assertThat(data).extracting(r -> r.value().getValue().getHash())
                    .containsExactly(hash(5, ""), hash(6, ""), hash(7, ""), hash(8, ""), hash(9, ""),
                            fork(10).getHash(), fork(11).getHash(), fork(12).getHash(), fork(13).getHash(),
                            fork(14).getHash(), fork(15).getHash());
            GethBlockOutput end = out.get(out.size() - 1).value();
            assertThat(end.getBacktestEnd().getRecords()).isEqualTo(11);
            assertThat(end.getEnvelope().getBlockHash()).as("the canonical end block").isEqualTo(fork(15).getHash());
        }
    }

    @Test
    void aBlockRetractedBelowTheRangeStartIsNotEmittedAndNeitherIsItsReplacement() {
        try (var branch = blocks(5, 15)) {
            pipeChain(branch, 3, 6);
            branch.pipe(retraction(block(6)), PRODUCED);
            branch.pipe(retraction(block(5)), PRODUCED);
            branch.pipe(retraction(block(4)), PRODUCED);
            for (long n = 4; n <= 18; n++) {
                branch.pipe(fork(n), PRODUCED);
            }
            List<TestRecord<String, GethBlockOutput>> out = branch.out(GethBlockOutput.class).readRecordsToList();
            assertThat(out.subList(0, out.size() - 1)).extracting(TestRecord::key)
                    .containsExactly("5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15");
            assertThat(out.subList(0, out.size() - 1)).extracting(r -> r.value().getValue().getHash())
                    .as("the new chain from 4 on: the orphaned 5 and 6 never appear")
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(5, 15)
                            .mapToObj(n -> fork(n).getHash()).toList());
        }
    }

    @Test
    void anEventLogBacktestWaitsForBlocksItsPipeHoldsBackBeforeItsEnd() {
        try (var branch = BranchDriver.backtest(Registry.standard(), ComponentCatalog.standard(), "event_log", 5, 15,
                WINDOW, stateDir)) {
            branch.watch(interest(branch.spec, "alice", A, 5, PING));
            branch.confirmInterestsThrough(12); // the control plane has confirmed interests through 12 only
            for (long n = 1; n <= 30; n++) {
                branch.pipe(block(n, log(A, PING)), PRODUCED);
            }
            var out = branch.out(EventLogOutput.class);
            assertThat(out.readValuesToList()).extracting(o -> o.getEnvelope().getBlockNumber())
                    .as("13 and above are held by the pipe above the interest horizon")
                    .containsExactly(5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L);
            assertThat(branch.counters.isRangeDone()).isFalse();

            branch.confirmInterestsThrough(40);
            branch.driver.advanceWallClockTime(Duration.ofMillis(200)); // the pipe releases, then the range ends

            List<EventLogOutput> rest = out.readValuesToList();
            assertThat(rest).extracting(o -> o.getEnvelope().getBlockNumber()).containsExactly(13L, 14L, 15L, 15L);
            assertThat(rest.get(3).getBacktestEnd().getRecords()).isEqualTo(11);
            assertThat(rest.subList(0, 3)).extracting(o -> o.getEnvelope().getOwners()).containsOnly(List.of("alice"));
            assertThat(branch.counters.isRangeDone()).isTrue();
        }
    }

    /** Block {@code n} of another branch of the chain (other hashes). */
    private static Block fork(long n) {
        return Block.newBuilder(block(n)).setHash(hash(n, "b")).setParentHash(hash(n - 1, "b")).build();
    }
}
