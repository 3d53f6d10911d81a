package io.pessimism.oracle.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * One mix's result: the medians of alternating raw and oracle rounds run after a warm-up, so neither
 * side gains from going first on a cold JVM or a cold node.
 *
 * @param setup how long generating the chain took
 * @param rawRounds blocks/s of each counted raw pass: the same blocks and logs fetched with the same
 *                  batching, thrown away (the ceiling)
 * @param oracleRounds blocks/s of each counted oracle pass: fetching, encoding and writing to Kafka in
 *                     transactions
 * @param oracleTime where the counted oracle passes spent their time
 */
public record BenchFigures(String mix, long blocks, long transactions, Duration setup, List<Double> rawRounds,
        List<Double> oracleRounds, long topicBytes, TimeBreakdown oracleTime) {

    public BenchFigures {
        rawRounds = List.copyOf(rawRounds);
        oracleRounds = List.copyOf(oracleRounds);
        if (rawRounds.isEmpty() || oracleRounds.isEmpty()) {
            throw new IllegalArgumentException("mix " + mix + ": no counted round");
        }
    }

    public double rawBlocksPerSecond() {
        return median(rawRounds);
    }

    public double oracleBlocksPerSecond() {
        return median(oracleRounds);
    }

    public double ratio() {
        return oracleBlocksPerSecond() / rawBlocksPerSecond();
    }

    public String line() {
        return String.format(Locale.ROOT,
                "%-9s %7d blocks %8d txs  setup %6.1f s  raw %9.1f blocks/s  oracle %9.1f blocks/s  ratio %.2f"
                        + "  topic %.1f MiB%n"
                        + "          medians of %d rounds: raw %.1f..%.1f, oracle %.1f..%.1f blocks/s; limited by: %s",
                mix, blocks, transactions, setup.toMillis() / 1000.0, rawBlocksPerSecond(), oracleBlocksPerSecond(),
                ratio(), topicBytes / (1024.0 * 1024.0), rawRounds.size(), Collections.min(rawRounds),
                Collections.max(rawRounds), Collections.min(oracleRounds), Collections.max(oracleRounds),
                oracleTime.limit());
    }

    /** The middle value, or the mean of the two middle ones. */
    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }
}
