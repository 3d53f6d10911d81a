package io.pessimism.app.e2e;

import io.pessimism.avro.Block;
import io.pessimism.avro.Transaction;
import java.util.List;

/**
 * The fields of one block a consumer of a {@code geth_block} pipeline relies on, so a record and
 * the node's block compare as values: where it is in the chain (number, hash, parent hash), its
 * time, its transactions (hashes, in order) and its logs (as {@link ChainLog}s, in order).
 */
record ChainBlock(long number, String hash, String parentHash, long timestamp, List<String> transactions,
                  List<ChainLog> logs) {

    /** A block as the pipeline wrote it. */
    static ChainBlock of(Block block) {
        return new ChainBlock(block.getNumber(), block.getHash(), block.getParentHash(), block.getTimestamp(),
                block.getTransactions().stream().map(Transaction::getHash).toList(),
                block.getLogs().stream().map(log -> ChainLog.of(log, block.getNumber(), block.getHash())).toList());
    }
}
