package io.pessimism.oracle.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.pessimism.oracle.balance.BalanceStageTimes;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BalanceFiguresTest {

    /** Three rounds: raw passes of 2 s, oracle passes of 3 s with the given stage times (ms, summed). */
    private static BalanceFigures figures(long read, long write, long commit, BalanceFigures.Cpu raw,
            BalanceFigures.Cpu oracle) {
        BalanceStageTimes stages = new BalanceStageTimes(Duration.ZERO, Duration.ofMillis(90), Duration.ofMillis(read),
                Duration.ofMillis(write), Duration.ofMillis(commit), 117, 1500, 1_500_000);
        return new BalanceFigures(1000, 500, 50_900, Duration.ofSeconds(10), 100, 4, List.of(250_000.0, 240_000.0,
                260_000.0), List.of(160_000.0, 170_000.0, 150_000.0), Duration.ofSeconds(6), Duration.ofSeconds(9),
                Duration.ofMillis(700), stages, raw, oracle, 2);
    }

    @Test
    void mediansSpreadAndRatio() {
        BalanceFigures f = figures(6000, 1000, 1800, new BalanceFigures.Cpu(0.5, 0.2, 0.25),
                new BalanceFigures.Cpu(0.6, 0.3, 0.25));
        assertThat(f.rawPerSecond()).isEqualTo(250_000.0);
        assertThat(f.oraclePerSecond()).isEqualTo(160_000.0);
        assertThat(f.ratio()).isEqualTo(0.64);
        assertThat(f.lines().get(0)).contains("250,000 balances/s (rounds 240,000..260,000)");
        assertThat(f.lines().get(1)).contains("ratio 0.64 (rounds 0.64, 0.71, 0.58)");
        assertThat(f.lines().get(2)).contains("39 transactions of 12.8 blocks, 15.4 ms each");
    }

    @Test
    void withIdleCoresTheLargestPartOfTheOraclesExtraTimeLimitsIt() {
        BalanceFigures kafka = figures(6000, 1000, 1800, new BalanceFigures.Cpu(0.5, 0.2, 0.25),
                new BalanceFigures.Cpu(0.6, 0.3, 0.25));
        assertThat(kafka.limit()).startsWith("oracle below the ceiling: Kafka transactions (31% of the oracle's time")
                .contains("the ceiling: the node's replies with 4 batches of 100 in flight").doesNotContain("disturbed");

        BalanceFigures reads = figures(8000, 300, 500, new BalanceFigures.Cpu(0.5, 0.2, 0.25),
                new BalanceFigures.Cpu(0.6, 0.3, 0.25));
        assertThat(reads.limit()).startsWith("oracle below the ceiling: waiting for balances (1.33x");
    }

    @Test
    void withBusyCoresTheOraclesExtraCpuLimitsItAndOtherProcessesAreNamed() {
        BalanceFigures f = figures(6000, 1000, 1800, new BalanceFigures.Cpu(0.99, 0.45, 0.5),
                new BalanceFigures.Cpu(0.98, 0.4, 0.55));
        assertThat(f.limit()).startsWith("oracle below the ceiling: the cores (98% busy in oracle passes): an oracle"
                + " pass spends 2.4 core-seconds in this JVM against a raw pass's 1.8")
                .contains("the ceiling: the cores").doesNotContain("disturbed");
        assertThat(f.lines().get(3)).contains("per pass: raw node 2.0 + this JVM 1.8 core-s, oracle node 3.3 + this"
                + " JVM 2.4 core-s");

        BalanceFigures disturbed = figures(6000, 1000, 1800, new BalanceFigures.Cpu(1.0, 0.3, 0.3),
                new BalanceFigures.Cpu(1.0, 0.4, 0.3));
        assertThat(disturbed.limit()).endsWith("other processes took 40% of the cores in raw passes and 30% in oracle"
                + " passes, so the figures are disturbed");
    }
}
