package io.pessimism.topology;

import io.pessimism.avro.Block;
import io.pessimism.avro.Log;
import io.pessimism.interest.EventSignature;
import java.util.ArrayList;
import java.util.List;

/** Blocks and logs as the GethBlock oracle publishes them, for tests that feed a branch directly. */
public final class TestBlocks {

    public static final String DATA = "0x00000000000000000000000000000000000000000000000000000000000000" + "2a";

    private TestBlocks() {
    }

    /** Block {@code number} on layer1 with these logs, their logIndex set in order. */
    public static Block block(long number, Log... logs) {
        List<Log> indexed = new ArrayList<>();
        for (int i = 0; i < logs.length; i++) {
            Log log = Log.newBuilder(logs[i]).setLogIndex(i).build();
            indexed.add(log);
        }
        return Block.newBuilder()
                .setNetwork("layer1").setNumber(number).setHash(hash(number, "")).setParentHash(hash(number - 1, ""))
                .setTimestamp(1_700_000_000L + number * 12).setMiner("0x" + "0".repeat(40))
                .setGasUsed(21_000L * logs.length).setGasLimit(30_000_000L).setBaseFeePerGas("1000000000")
                .setStateRoot(hash(number, "s")).setReceiptsRoot(hash(number, "r")).setLogsBloom("0x00")
                .setTransactions(List.of()).setLogs(indexed).setRemoved(false)
                .build();
    }

    /** The retraction of {@code block}: the same block with removed=true. */
    public static Block retraction(Block block) {
        return Block.newBuilder(block).setRemoved(true).build();
    }

    /** A log of event {@code signature} (its topic0 computed) emitted by {@code address}. */
    public static Log log(String address, String signature) {
        return Log.newBuilder()
                .setAddress(address)
                .setTopics(List.of(EventSignature.topic0(signature), "0x" + "0".repeat(24) + address.substring(2).toLowerCase()))
                .setData(DATA)
                .setTransactionHash("0x" + Integer.toHexString(address.hashCode() ^ signature.hashCode()) + "ff")
                .setTransactionIndex(0)
                .setLogIndex(0)
                .build();
    }

    /** A log without topics (an anonymous event). */
    public static Log anonymous(String address) {
        return Log.newBuilder(log(address, "X()")).setTopics(List.of()).build();
    }

    /** A 32-byte hash, distinct per (number, salt). */
    public static String hash(long number, String salt) {
        String body = Long.toHexString(number) + Integer.toHexString(salt.hashCode() & 0xffff);
        return "0x" + "0".repeat(64 - body.length()) + body;
    }
}
