package io.pessimism.oracle.bench;

/**
 * A kind of chain to backfill: {@code blocks} blocks of {@code minTxs..maxTxs} log-emitting
 * transactions each (0..0 for empty blocks).
 */
public record BlockMix(String name, int blocks, int minTxs, int maxTxs) {

    public BlockMix {
        if (blocks < 1 || minTxs < 0 || maxTxs < minTxs) {
            throw new IllegalArgumentException("mix " + name + ": need blocks >= 1 and 0 <= minTxs <= maxTxs, got "
                    + blocks + ", " + minTxs + ", " + maxTxs);
        }
    }

    /** Mainnet-like: blocks of 50..150 transactions, each with a log. */
    public static BlockMix realistic(int blocks) {
        return new BlockMix("realistic", blocks, 50, 150);
    }

    /** Empty blocks: the node is fast, so Kafka and serialization are the limit. */
    public static BlockMix empty(int blocks) {
        return new BlockMix("empty", blocks, 0, 0);
    }
}
