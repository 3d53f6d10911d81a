package io.pessimism.oracle.bench;

import java.time.Duration;
import java.util.Locale;

/**
 * One mix's result.
 *
 * @param setup how long generating the chain took
 * @param rawBlocksPerSecond the ceiling: the same blocks and logs fetched with the same batching, thrown away
 * @param oracleBlocksPerSecond the oracle fetching, encoding and writing them to Kafka in transactions
 */
public record BenchFigures(String mix, long blocks, long transactions, Duration setup, double rawBlocksPerSecond,
        double oracleBlocksPerSecond, long topicBytes) {

    public double ratio() {
        return oracleBlocksPerSecond / rawBlocksPerSecond;
    }

    public String line() {
        return String.format(Locale.ROOT,
                "%-9s %7d blocks %8d txs  setup %6.1f s  raw %9.1f blocks/s  oracle %9.1f blocks/s  ratio %.2f"
                        + "  topic %.1f MiB",
                mix, blocks, transactions, setup.toMillis() / 1000.0, rawBlocksPerSecond, oracleBlocksPerSecond,
                ratio(), topicBytes / (1024.0 * 1024.0));
    }
}
