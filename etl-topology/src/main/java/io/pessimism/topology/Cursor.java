package io.pessimism.topology;

import io.pessimism.avro.AccountBalance;
import io.pessimism.avro.Block;
import java.util.Objects;

/**
 * Where an output record comes from on its chain: the block it derives from, and whether it
 * retracts what that block produced (the block was orphaned by a reorg).
 */
public record Cursor(long blockNumber, String blockHash, boolean removed) {

    public Cursor {
        Objects.requireNonNull(blockHash, "blockHash");
    }

    /** The cursor of an oracle's record (a block, a balance), as its source topic carries it. */
    public static Cursor ofSource(Object value) {
        if (value instanceof Block block) {
            return new Cursor(block.getNumber(), block.getHash(), block.getRemoved());
        }
        if (value instanceof AccountBalance balance) {
            return new Cursor(balance.getBlockNumber(), balance.getBlockHash(), balance.getRemoved());
        }
        throw new IllegalArgumentException("no block cursor in a " + (value == null ? "null" : value.getClass().getName())
                + " record: not a record of an oracle's topic");
    }
}
