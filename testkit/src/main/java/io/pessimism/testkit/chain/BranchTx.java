package io.pessimism.testkit.chain;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.web3j.utils.Numeric;

/**
 * A transaction to put on the new branch of an {@code anvil_reorg}: sent by anvil on behalf of
 * {@code from} (one of its unlocked dev accounts) into the new block at {@code blockOffset}, where 0
 * is the first block of the new branch (height {@code head - depth + 1}).
 */
public record BranchTx(String from, String to, BigInteger value, String data, int blockOffset) {

    public BranchTx {
        if (blockOffset < 0) {
            throw new IllegalArgumentException("block offset must be >= 0, got " + blockOffset);
        }
        if (value.signum() < 0) {
            throw new IllegalArgumentException("value must be >= 0 wei, got " + value);
        }
    }

    /** A contract call (e.g. {@link Emitter#pingCall}) with no value. */
    public static BranchTx call(String from, String contract, String data, int blockOffset) {
        return new BranchTx(from, contract, BigInteger.ZERO, data, blockOffset);
    }

    /** A plain ETH transfer. */
    public static BranchTx transfer(String from, String to, BigInteger wei, int blockOffset) {
        return new BranchTx(from, to, wei, "0x", blockOffset);
    }

    /** The {@code [transactionRequest, blockOffset]} pair anvil_reorg takes. */
    List<Object> toRpcPair() {
        Map<String, String> request = new LinkedHashMap<>();
        request.put("from", from);
        request.put("to", to);
        request.put("value", Numeric.toHexStringWithPrefix(value));
        request.put("input", data);
        return List.of(request, blockOffset);
    }
}
