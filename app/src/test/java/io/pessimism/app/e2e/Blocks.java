package io.pessimism.app.e2e;

import io.pessimism.testkit.chain.ChainDriver;
import io.pessimism.testkit.chain.DevAccounts;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Mines several contract calls into one new block, so a block holds watched and unwatched logs
 * side by side at different transaction and log indexes (automine would give each call its own block).
 */
final class Blocks {

    /** A call of a contract's function, as {@link io.pessimism.testkit.chain.Emitter} encodes it. */
    record Call(String contract, String data) {
    }

    private Blocks() {
    }

    /** Submits {@code calls} in order with mining paused, mines one block, and returns their receipts in order. */
    static List<TransactionReceipt> mineTogether(ChainDriver chain, List<Call> calls) {
        boolean automine = chain.automine();
        chain.setAutomine(false);
        try {
            List<String> hashes = new ArrayList<>();
            for (Call call : calls) {
                hashes.add(chain.submit(DevAccounts.get(0), call.contract(), BigInteger.ZERO, call.data()));
            }
            chain.mine(1);
            List<TransactionReceipt> receipts = chain.receipts(hashes);
            long block = receipts.get(0).getBlockNumber().longValueExact();
            for (TransactionReceipt receipt : receipts) {
                if (!receipt.isStatusOK() || receipt.getBlockNumber().longValueExact() != block) {
                    throw new IllegalStateException("calls meant for one block: " + receipt.getTransactionHash()
                            + " is in block " + receipt.getBlockNumber() + " (status " + receipt.getStatus()
                            + "), the first in block " + block);
                }
            }
            return receipts;
        } finally {
            chain.setAutomine(automine);
        }
    }
}
