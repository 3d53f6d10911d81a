package io.pessimism.oracle.bench;

import io.pessimism.oracle.balance.BalanceStageTimes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The result of {@code pessimism bench balance}: balances per second (watched addresses × blocks per
 * second) of the counted raw and oracle passes, their medians and ratio, where the oracle's time went
 * and what that says limits it.
 *
 * @param rawRounds balances/s of each counted raw pass: the same balances read by block hash with the
 *                  same batching and concurrency, nothing written (the ceiling)
 * @param oracleRounds balances/s of each counted oracle pass, timed from its open session to the
 *                     commit of the last block
 * @param rawWall the counted raw passes' time, summed
 * @param oracleWall the counted oracle passes' timed part, summed
 * @param oracleOpen the counted oracle passes' session opens (not timed), summed
 * @param stages the counted oracle passes' stage times in their timed part, summed
 * @param rawCpu the machine's and this JVM's CPU use (0..1 of the cores) over the counted raw passes
 * @param oracleCpu the same over the counted oracle passes (this JVM runs the broker of the benchmark too)
 */
public record BalanceFigures(int addresses, int blocks, long recordsPerPass, Duration setup, int batchSize,
        int concurrency, List<Double> rawRounds, List<Double> oracleRounds, Duration rawWall, Duration oracleWall,
        Duration oracleOpen, BalanceStageTimes stages, Cpu rawCpu, Cpu oracleCpu, int cores) {

    /** Machine CPU use from which the cores are said to be the limit. */
    static final double CPU_BOUND = 0.9;
    /** Other processes' CPU use from which the figures are said to be disturbed. */
    static final double DISTURBED = 0.1;

    /**
     * CPU use over some passes, 0..1 of the machine's cores.
     *
     * @param node the node's processes' share, or -1 when the node's process is not known
     */
    public record Cpu(double machine, double jvm, double node) {

        /** Everything else running on the machine (other processes than this JVM and the node). */
        public double others() {
            return node < 0 ? -1 : Math.max(0, machine - jvm - node);
        }

        String line() {
            return node < 0
                    ? String.format(Locale.ROOT, "machine %.0f%% (this JVM %.0f%%)", 100 * machine, 100 * jvm)
                    : String.format(Locale.ROOT, "machine %.0f%%: node %.0f%%, this JVM %.0f%%, other processes %.0f%%",
                            100 * machine, 100 * node, 100 * jvm, 100 * others());
        }
    }

    public BalanceFigures {
        rawRounds = List.copyOf(rawRounds);
        oracleRounds = List.copyOf(oracleRounds);
        if (rawRounds.isEmpty() || oracleRounds.isEmpty()) {
            throw new IllegalArgumentException("no counted round");
        }
    }

    public double rawPerSecond() {
        return BenchFigures.median(rawRounds);
    }

    public double oraclePerSecond() {
        return BenchFigures.median(oracleRounds);
    }

    public double ratio() {
        return oraclePerSecond() / rawPerSecond();
    }

    /** The oracle's timed part not in a stage: its head checks and status, its loop. */
    public Duration other() {
        Duration staged = stages.poll().plus(stages.read()).plus(stages.write()).plus(stages.commit());
        return oracleWall.compareTo(staged) > 0 ? oracleWall.minus(staged) : Duration.ZERO;
    }

    public List<String> lines() {
        int counted = oracleRounds.size();
        return List.of(
                String.format(Locale.ROOT, "raw    %,10.0f balances/s (rounds %,.0f..%,.0f)", rawPerSecond(),
                        Collections.min(rawRounds), Collections.max(rawRounds)),
                String.format(Locale.ROOT, "oracle %,10.0f balances/s (rounds %,.0f..%,.0f), ratio %.2f (rounds"
                                + " %s)", oraclePerSecond(), Collections.min(oracleRounds),
                        Collections.max(oracleRounds), ratio(), roundRatios()),
                String.format(Locale.ROOT, "oracle time: waiting for balances %.0f%% (%.2fx the raw passes' time),"
                                + " writing %.0f%%, committing %.0f%% (%d transactions of %.1f blocks, %.1f ms each),"
                                + " taking blocks %.0f%%, other %.0f%%; session open %.2f s per pass, not timed",
                        share(stages.read()), seconds(stages.read()) / seconds(rawWall), share(stages.write()),
                        share(stages.commit()), stages.transactions() / counted,
                        stages.blocks() / (double) Math.max(1, stages.transactions()),
                        1000 * seconds(stages.commit()) / Math.max(1, stages.transactions()),
                        share(stages.poll()), share(other()), seconds(oracleOpen) / counted),
                String.format(Locale.ROOT, "CPU of %d cores: raw passes %s; oracle passes %s (this JVM runs the"
                        + " broker too); per pass: raw %s, oracle %s", cores, rawCpu.line(), oracleCpu.line(),
                        coreSeconds(rawCpu, rawWall), coreSeconds(oracleCpu, oracleWall)),
                "limited by: " + limit());
    }

    /**
     * What holds the oracle below the ceiling (when the cores are busy, the CPU it needs beyond the raw
     * passes; else the largest part of the time it takes beyond them), then what holds the ceiling itself.
     */
    public String limit() {
        double raw = seconds(rawWall);
        double transactions = Math.max(1, stages.transactions());
        List<Map.Entry<String, Double>> gaps = new ArrayList<>(List.of(
                Map.entry(String.format(Locale.ROOT, "Kafka transactions (%.0f%% of the oracle's time, the next"
                                + " blocks' reads running meanwhile): %.1f ms to write and commit each of %.1f"
                                + " blocks", share(stages.write().plus(stages.commit())),
                        1000 * seconds(stages.write().plus(stages.commit())) / transactions,
                        stages.blocks() / transactions),
                        seconds(stages.write()) + seconds(stages.commit())),
                Map.entry(String.format(Locale.ROOT, "waiting for balances (%.2fx the raw passes' time): the"
                                + " node answers slower while the broker and the oracle share the cores with it",
                        seconds(stages.read()) / raw),
                        seconds(stages.read()) - raw),
                Map.entry(String.format(Locale.ROOT, "taking blocks from the block topic (%.0f%%)",
                        share(stages.poll())), seconds(stages.poll())),
                Map.entry(String.format(Locale.ROOT, "the oracle's own loop (%.0f%%)", share(other())),
                        seconds(other()))));
        Map.Entry<String, Double> largest = Collections.max(gaps, Map.Entry.comparingByValue());
        String oracle = largest.getKey();
        if (oracleCpu.machine() >= CPU_BOUND) {
            oracle = String.format(Locale.ROOT, "the cores (%.0f%% busy in oracle passes): an oracle pass spends"
                            + " %.1f core-seconds in this JVM against a raw pass's %.1f (the broker, the producer,"
                            + " the ledger and the oracle's loop on top of the same reads), and the node's answers"
                            + " wait for cores (the oracle's loop waited for balances %.0f%% of its time, %.2fx the"
                            + " raw passes' time; Kafka transactions %.0f%%)", 100 * oracleCpu.machine(),
                    perPass(oracleCpu.jvm(), oracleWall), perPass(rawCpu.jvm(), rawWall), share(stages.read()),
                    seconds(stages.read()) / raw, share(stages.write().plus(stages.commit())));
        }
        String ceiling = rawCpu.machine() >= CPU_BOUND
                ? String.format(Locale.ROOT, "the cores: in raw passes the %d cores are %s", cores, rawCpu.line())
                : String.format(Locale.ROOT, "the node's replies with %d batches of %d in flight (raw passes: %s)",
                        concurrency, batchSize, rawCpu.line());
        String disturbed = Math.max(rawCpu.others(), oracleCpu.others()) >= DISTURBED
                ? String.format(Locale.ROOT, "; other processes took %.0f%% of the cores in raw passes and %.0f%% in"
                        + " oracle passes, so the figures are disturbed", 100 * rawCpu.others(),
                        100 * oracleCpu.others())
                : "";
        return "oracle below the ceiling: " + oracle + "; the ceiling: " + ceiling + disturbed;
    }

    /** Core-seconds per pass of a share of the cores over passes of {@code wall} in all. */
    private double perPass(double share, Duration wall) {
        return share * seconds(wall) * cores / oracleRounds.size();
    }

    private String coreSeconds(Cpu cpu, Duration wall) {
        return cpu.node() < 0
                ? String.format(Locale.ROOT, "this JVM %.1f core-s", perPass(cpu.jvm(), wall))
                : String.format(Locale.ROOT, "node %.1f + this JVM %.1f core-s", perPass(cpu.node(), wall),
                        perPass(cpu.jvm(), wall));
    }

    private String roundRatios() {
        StringBuilder ratios = new StringBuilder();
        for (int i = 0; i < oracleRounds.size(); i++) {
            ratios.append(i == 0 ? "" : ", ")
                    .append(String.format(Locale.ROOT, "%.2f", oracleRounds.get(i) / rawRounds.get(i)));
        }
        return ratios.toString();
    }

    private double share(Duration stage) {
        return oracleWall.isZero() ? 0 : 100.0 * stage.toNanos() / oracleWall.toNanos();
    }

    private static double seconds(Duration duration) {
        return Math.max(1e-9, duration.toNanos() / 1e9);
    }
}
