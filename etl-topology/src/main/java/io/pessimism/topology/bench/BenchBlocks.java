package io.pessimism.topology.bench;

import io.pessimism.avro.Block;
import io.pessimism.avro.Log;
import io.pessimism.avro.Transaction;
import io.pessimism.interest.EventSignature;
import io.pessimism.network.Network;
import java.util.ArrayList;
import java.util.List;

/** Synthetic layer1 blocks for the pipe benches: many contracts' logs, two of them a watched (address, event). */
final class BenchBlocks {

    static final String WATCHED = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
    static final String PING = "Ping(address,uint256)";
    /** Watched logs per block. */
    static final int WATCHED_PER_BLOCK = 2;

    private BenchBlocks() {
    }

    /** Block {@code number} with {@code transactions} transactions and {@code logs} (at least 5) logs. */
    static Block block(long number, int transactions, int logs) {
        List<Transaction> txs = new ArrayList<>(transactions);
        for (int i = 0; i < transactions; i++) {
            txs.add(Transaction.newBuilder()
                    .setHash(hex(number * 1000 + i, 64)).setFrom(hex(i, 40)).setTo(hex(i + 1, 40))
                    .setContractAddress(null).setValue("1000000000000000000").setNonce(i).setGas(21_000)
                    .setInput("0xa9059cbb" + "0".repeat(128)).setType(2).setTransactionIndex(i)
                    .build());
        }
        List<Log> entries = new ArrayList<>(logs);
        String ping = EventSignature.topic0(PING);
        String transfer = EventSignature.topic0("Transfer(address,address,uint256)");
        for (int i = 0; i < logs; i++) {
            boolean watched = i == 3 || i == logs - 1;
            entries.add(Log.newBuilder()
                    .setAddress(watched ? WATCHED : hex(1_000 + i % 17, 40))
                    .setTopics(List.of(watched ? ping : transfer, hex(i, 64), hex(i + 1, 64)))
                    .setData(hex(number, 64)).setTransactionHash(hex(number * 1000 + i % Math.max(1, transactions), 64))
                    .setTransactionIndex(i % Math.max(1, transactions)).setLogIndex(i)
                    .build());
        }
        return Block.newBuilder()
                .setNetwork(Network.LAYER1.label()).setNumber(number).setHash(hex(number, 64))
                .setParentHash(hex(number - 1, 64)).setTimestamp(1_700_000_000L + 12 * number)
                .setMiner(hex(7, 40)).setGasUsed(15_000_000L).setGasLimit(30_000_000L)
                .setBaseFeePerGas("7000000000").setStateRoot(hex(number + 1, 64)).setReceiptsRoot(hex(number + 2, 64))
                .setLogsBloom("0x" + "0".repeat(512)).setTransactions(txs).setLogs(entries).setRemoved(false)
                .build();
    }

    static String hex(long value, int digits) {
        String body = Long.toHexString(value);
        return "0x" + "0".repeat(Math.max(0, digits - body.length())) + body;
    }
}
