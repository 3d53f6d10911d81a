package io.pessimism.oracle.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.pessimism.oracle.geth.StageTimes;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimeBreakdownTest {

    /**
     * Ten seconds of oracle passes with the given stage times in milliseconds (encoding on a CPU half its
     * clock time, the writer thread on a CPU for 2 s), four fetch threads, two cores, this JVM using half
     * of them.
     */
    private static TimeBreakdown over10s(long fetch, long fetchCpu, long encode, long wait, long send, long commit,
            double machineCpu) {
        return over10s(fetch, fetchCpu, encode, 0, wait, send, commit, machineCpu);
    }

    private static TimeBreakdown over10s(long fetch, long fetchCpu, long encode, long headCheck, long wait, long send,
            long commit, double machineCpu) {
        return new TimeBreakdown(Duration.ofSeconds(10), new StageTimes(Duration.ofMillis(fetch),
                Duration.ofMillis(fetchCpu), Duration.ofMillis(encode), Duration.ofMillis(encode / 2),
                Duration.ofMillis(headCheck),
                Duration.ofMillis(wait),
                Duration.ofMillis(send), Duration.ofMillis(commit), Duration.ofSeconds(2)), 4, machineCpu, 0.5, 2);
    }

    private static TimeBreakdown over10s(long fetch, long fetchCpu, long encode, long wait, long send, long commit) {
        return over10s(fetch, fetchCpu, encode, wait, send, commit, 0.5);
    }

    @Test
    void aWriterMostlyCommittingIsLimitedByTheKafkaCommit() {
        TimeBreakdown breakdown = over10s(8_000, 1_000, 1_000, 2_000, 1_000, 6_000);
        assertThat(breakdown.limit()).isEqualTo("Kafka commit");
        assertThat(breakdown.commitShare()).isEqualTo(0.6);
        assertThat(breakdown.otherShare()).isCloseTo(0.1, offset(1e-9));
        assertThat(breakdown.line()).contains("commit 60%", "off CPU (node or a free core) 7.0 s", "parsing replies 1.0 s",
                "CPU: machine 50%, this JVM (oracle + broker) 50%", "limited by: Kafka commit");
    }

    @Test
    void aWriterMostlyWaitingIsLimitedByTheLargestPartOfTheFetchSide() {
        assertThat(over10s(30_000, 2_000, 2_000, 8_000, 500, 1_000).limit())
                .isEqualTo("node fetch (waiting for JSON-RPC replies)");
        assertThat(over10s(30_000, 25_000, 2_000, 8_000, 500, 1_000).limit())
                .isEqualTo("reply parsing (JSON to Avro on the fetch threads)");
        assertThat(over10s(5_000, 1_000, 20_000, 8_000, 500, 1_000).limit())
                .isEqualTo("block encoding (on the fetch threads)");
    }

    @Test
    void headChecksAreNamedWhenTheWriterSpendsMostOfItsTimeAskingForTheHead() {
        TimeBreakdown breakdown = over10s(8_000, 1_000, 1_000, 4_000, 3_000, 1_000, 1_000, 0.5);
        assertThat(breakdown.limit()).isEqualTo("head checks (eth_blockNumber before each transaction)");
        assertThat(breakdown.line()).contains("head checks 40%, waiting for fetched blocks 30%");
        assertThat(breakdown.otherShare()).isCloseTo(0.1, offset(1e-9));
    }

    @Test
    void sendAndTheLoopItselfAreNamedWhenTheyTakeMost() {
        assertThat(over10s(1_000, 100, 100, 1_000, 7_000, 1_000).limit()).isEqualTo("Kafka send");
        assertThat(over10s(1_000, 100, 100, 1_000, 1_000, 1_000).limit()).isEqualTo("the oracle's own loop");
    }

    @Test
    void withBusyCoresTheLimitIsTheCpuSplitByWhoUsedItThenTheWritersLargestStage() {
        // of 20 core-seconds: fetch threads 1 s parsing + 1 s encoding (2 s on the clock), writer 2 s,
        // this JVM 10 s, the machine 19.4 s
        TimeBreakdown breakdown = over10s(8_000, 1_000, 2_000, 2_000, 1_000, 6_000, 0.97);
        assertThat(breakdown.fetchThreadsCpu()).isCloseTo(0.1, offset(1e-9));
        assertThat(breakdown.writerCpu()).isCloseTo(0.1, offset(1e-9));
        assertThat(breakdown.restOfJvmCpu()).isCloseTo(0.3, offset(1e-9));
        assertThat(breakdown.outsideJvmCpu()).isCloseTo(0.47, offset(1e-9));
        assertThat(breakdown.limit()).isEqualTo("CPU, 97% of 2 cores busy; by user: node and other users (outside"
                + " this JVM) 47%, broker and the rest of this JVM 30%, oracle fetch threads 10%, oracle writer 10%"
                + " (the writer thread's largest stage: commit, 60%)");
    }

    @Test
    void fetchThreadsBusyIsTheirTimeOverWallTimesThreads() {
        assertThat(over10s(30_000, 2_000, 2_000, 8_000, 500, 1_000).fetchThreadsBusy()).isEqualTo(0.8);
    }

    @Test
    void theMedianOfRoundsIsTheMiddleOneOrTheMeanOfTheTwoMiddleOnes() {
        assertThat(BenchFigures.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(BenchFigures.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
    }
}
