package io.pessimism.app.e2e;

import io.pessimism.avro.EventLog;
import java.util.List;
import java.util.Locale;
import org.web3j.protocol.core.methods.response.Log;

/**
 * The fields of one log that a consumer of {@code <prefix>.out} relies on, so a record and the
 * receipt log it came from compare field by field (and as a multiset). Addresses are compared in
 * lower case: the case of a hex address carries only a checksum.
 */
record ChainLog(String address, List<String> topics, String data, long blockNumber, String blockHash,
                String transactionHash, int transactionIndex, int logIndex) {

    /** A log as the node's receipt reports it. */
    static ChainLog of(Log log) {
        return new ChainLog(log.getAddress().toLowerCase(Locale.ROOT), List.copyOf(log.getTopics()), log.getData(),
                log.getBlockNumber().longValueExact(), log.getBlockHash(), log.getTransactionHash(),
                log.getTransactionIndex().intValueExact(), log.getLogIndex().intValueExact());
    }

    /** A log as a block record carries it, in the block {@code blockNumber} ({@code blockHash}). */
    static ChainLog of(io.pessimism.avro.Log log, long blockNumber, String blockHash) {
        return new ChainLog(log.getAddress(), List.copyOf(log.getTopics()), log.getData(), blockNumber, blockHash,
                log.getTransactionHash(), log.getTransactionIndex(), log.getLogIndex());
    }

    /** A log as the pipeline wrote it. */
    static ChainLog of(EventLog log) {
        return new ChainLog(log.getAddress(), List.copyOf(log.getTopics()), log.getData(), log.getBlockNumber(),
                log.getBlockHash(), log.getTransactionHash(), log.getTransactionIndex(), log.getLogIndex());
    }

    /** What identifies a log on a chain: its block and its index there. */
    String id() {
        return blockHash + "#" + logIndex;
    }
}
