package io.pessimism.topology.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pessimism.avro.Block;
import io.pessimism.avro.Envelope;
import io.pessimism.avro.EventLogOutput;
import io.pessimism.avro.Log;
import io.pessimism.pipe.EventLogs;
import io.pessimism.topology.bench.PipeOutputCheck.Decoded;
import io.pessimism.topology.bench.PipeOutputCheck.Emissions;
import io.pessimism.topology.bench.PipeOutputCheck.Emitted;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** bench pipe's checks accept the right output and reject a missing, repeated or different record or block. */
class PipeOutputCheckTest {

    private static final int BLOCKS = 3;
    private static final int LOGS = 8;

    @Test
    void theWatchedLogsOfEveryBlockOnceInOrderPass() {
        Emitted emitted = emit(records(100), "round 1: the event_log branch");

        assertThat(emitted.records()).as("two watched logs in each of 3 blocks").isEqualTo(6);
    }

    @Test
    void aMissingRecordFails() {
        List<EventLogOutput> missing = records(100);
        missing.remove(2); // block 2's first watched log
        assertThatThrownBy(() -> emit(missing, "round 1: the hand-written filter"))
                .hasMessageContaining("round 1: the hand-written filter: record 3 is block 2 log 7, expected block 2 "
                        + "log 3");

        List<EventLogOutput> lastMissing = records(100);
        lastMissing.remove(lastMissing.size() - 1);
        assertThatThrownBy(() -> emit(lastMissing, "round 1: the event_log branch"))
                .hasMessageContaining("wrote 5 records, expected 6");
    }

    @Test
    void aRepeatedRecordFails() {
        List<EventLogOutput> repeated = records(100);
        repeated.add(3, records(100).get(2));
        assertThatThrownBy(() -> emit(repeated, "round 2: the event_log branch"))
                .hasMessageContaining("record 4 is block 2 log 3, expected block 2 log 7");

        List<EventLogOutput> oneTooMany = records(100);
        oneTooMany.add(records(100).get(5));
        assertThatThrownBy(() -> emit(oneTooMany, "round 2: the event_log branch"))
                .hasMessageContaining("record 7 is block 3 log 7, expected block 4 log 3 (past the topic's 3 blocks");
    }

    @Test
    void aRecordForAnotherOwnerOrRetractedFails() {
        List<EventLogOutput> otherOwner = records(100);
        otherOwner.get(1).getEnvelope().setOwners(List.of("bench", "someone"));
        assertThatThrownBy(() -> emit(otherOwner, "round 1: the event_log branch"))
                .hasMessageContaining("record 2 (block 1 log 7) is not the watched event for owner bench");

        List<EventLogOutput> retracted = records(100);
        retracted.get(4).getValue().setRemoved(true);
        assertThatThrownBy(() -> emit(retracted, "round 1: the event_log branch"))
                .hasMessageContaining("record 5 (block 3 log 3)");
    }

    @Test
    void theBranchAndTheFilterMustWriteTheSameRecordsButMayEmitThemAtOtherTimes() {
        Emitted branch = emit(records(100), "branch");
        assertThatCode(() -> PipeOutputCheck.same(branch, emit(records(200), "filter"), "round 1"))
                .as("only the emission time differs").doesNotThrowAnyException();

        List<EventLogOutput> otherData = records(100);
        otherData.get(3).getValue().setData("0x00");
        assertThatThrownBy(() -> PipeOutputCheck.same(branch, emit(otherData, "filter"), "round 3"))
                .hasMessageContaining("round 3: the event_log branch wrote 6 records (digest")
                .hasMessageContaining("they must write the same records");

        List<EventLogOutput> otherOrigin = records(100);
        otherOrigin.get(0).getEnvelope().setOriginTs(1L);
        assertThatThrownBy(() -> PipeOutputCheck.same(branch, emit(otherOrigin, "filter"), "round 3"))
                .as("the source record's time is content").hasMessageContaining("round 3");
    }

    @Test
    void decodeAndDropMustDecodeEveryBlockOnceInOrder() {
        Decoded all = new Decoded("round 1: the decode-and-drop", LOGS);
        for (long n = 1; n <= BLOCKS; n++) {
            all.accept(BenchBlocks.block(n, 5, LOGS));
        }
        assertThat(all.finish(BLOCKS)).isEqualTo((long) BLOCKS * LOGS);

        Decoded missing = new Decoded("round 1: the decode-and-drop", LOGS);
        missing.accept(BenchBlocks.block(1, 5, LOGS));
        missing.accept(BenchBlocks.block(3, 5, LOGS));
        assertThatThrownBy(() -> missing.finish(2)).hasMessageContaining("decoded block 3 (8 logs) in place 2");

        Decoded repeated = new Decoded("round 2: the decode-and-drop", LOGS);
        for (long n : new long[] {1, 2, 2, 3}) {
            repeated.accept(BenchBlocks.block(n, 5, LOGS));
        }
        assertThatThrownBy(() -> repeated.finish(BLOCKS)).hasMessageContaining("round 2: the decode-and-drop: "
                + "decoded block 2 (8 logs) in place 3");

        Decoded short1 = new Decoded("round 3: the decode-and-drop", LOGS);
        short1.accept(BenchBlocks.block(1, 5, LOGS));
        assertThatThrownBy(() -> short1.finish(BLOCKS)).hasMessageContaining("decoded 1 blocks, expected 3");
    }

    private static Emitted emit(List<EventLogOutput> records, String job) {
        Emissions check = new Emissions(job, BLOCKS, LOGS);
        records.forEach(r -> check.accept(r.getValue().getAddress(), r));
        return check.finish();
    }

    /** What the branch writes for the bench's blocks 1..3 of 8 logs, emitted at {@code emittedAt}. */
    private static List<EventLogOutput> records(long emittedAt) {
        List<EventLogOutput> out = new ArrayList<>();
        for (long n = 1; n <= BLOCKS; n++) {
            Block block = BenchBlocks.block(n, 5, LOGS);
            for (Log log : block.getLogs()) {
                if (!BenchBlocks.isWatched(log.getLogIndex(), LOGS)) {
                    continue;
                }
                Envelope envelope = new Envelope("puuid", "pid", List.of(BenchBlocks.OWNER), "layer1", "event_log",
                        10 * n, emittedAt, BenchBlocks.WATCHED, n, block.getHash(), null, false);
                out.add(new EventLogOutput(envelope, EventLogs.of(block, log, BenchBlocks.WATCHED), null, null));
            }
        }
        return out;
    }
}
