package io.pessimism.topology;

import java.util.Objects;

/**
 * Where an output record comes from on its chain: the block it derives from, and whether it
 * retracts what that block produced (the block was orphaned by a reorg).
 */
public record Cursor(long blockNumber, String blockHash, boolean removed) {

    public Cursor {
        Objects.requireNonNull(blockHash, "blockHash");
    }
}
