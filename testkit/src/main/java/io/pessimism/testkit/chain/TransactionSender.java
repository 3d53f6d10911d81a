package io.pessimism.testkit.chain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.BatchRequest;
import org.web3j.protocol.core.BatchResponse;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthGetTransactionReceipt;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * Signs EIP-155 transactions locally and sends them, one at a time or many in one JSON-RPC batch.
 * Nonces come from the pending count (so queued, unmined transactions are accounted for); gas
 * comes from {@code eth_estimateGas} with headroom, the price from the latest base fee doubled (so
 * a batch still fits after a base-fee rise) plus a fixed tip.
 */
final class TransactionSender {

    private static final BigInteger TIP = BigInteger.valueOf(1_000_000_000L); // 1 gwei

    private final Web3j web3j;
    private final String rpcUrl;
    private Long chainId;

    TransactionSender(Web3j web3j, String rpcUrl) {
        this.web3j = web3j;
        this.rpcUrl = rpcUrl;
    }

    synchronized long chainId() {
        if (chainId == null) {
            chainId = Rpc.send(web3j.ethChainId(), rpcUrl).getChainId().longValueExact();
        }
        return chainId;
    }

    /** {@code to == null} deploys {@code data} as creation code. Returns the transaction hash. */
    String submit(Credentials from, String to, BigInteger value, String data) {
        BigInteger nonce = pendingNonce(from);
        BigInteger gasPrice = gasPrice();
        BigInteger gas = estimateGas(from, to, value, data);
        return Rpc.send(web3j.ethSendRawTransaction(sign(from, nonce, gasPrice, gas, to, value, data)), rpcUrl)
                .getTransactionHash();
    }

    /** Several calls from {@code from} to {@code to}, consecutive nonces, one HTTP request. */
    List<String> submitBatch(Credentials from, String to, List<String> calls) {
        if (calls.isEmpty()) {
            return List.of();
        }
        BigInteger nonce = pendingNonce(from);
        BigInteger gasPrice = gasPrice();
        // the calls differ only in argument values: one estimate (with headroom) fits them all
        BigInteger gas = estimateGas(from, to, BigInteger.ZERO, calls.get(0));
        var batch = web3j.newBatch();
        for (String data : calls) {
            batch.add(web3j.ethSendRawTransaction(sign(from, nonce, gasPrice, gas, to, BigInteger.ZERO, data)));
            nonce = nonce.add(BigInteger.ONE);
        }
        List<String> hashes = new ArrayList<>();
        for (Response<?> response : sendBatch(batch, "eth_sendRawTransaction x" + calls.size())) {
            hashes.add(((EthSendTransaction) response).getTransactionHash());
        }
        return hashes;
    }

    /** Polls (batched) until every receipt is there; fails after {@code timeout}. */
    List<TransactionReceipt> receipts(List<String> hashes, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            var batch = web3j.newBatch();
            hashes.forEach(h -> batch.add(web3j.ethGetTransactionReceipt(h)));
            List<TransactionReceipt> found = new ArrayList<>();
            for (Response<?> response : sendBatch(batch, "eth_getTransactionReceipt x" + hashes.size())) {
                ((EthGetTransactionReceipt) response).getTransactionReceipt().ifPresent(found::add);
            }
            if (found.size() == hashes.size()) {
                return found;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + found.size() + " of " + hashes.size()
                        + " receipts on " + rpcUrl + " after " + timeout + " (is the chain mining?)");
            }
            try {
                Thread.sleep(100); // polling interval of a bounded wait, not a guess at timing
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for receipts", e);
            }
        }
    }

    private List<? extends Response<?>> sendBatch(BatchRequest batch, String what) {
        try {
            BatchResponse response = batch.send();
            for (Response<?> r : response.getResponses()) {
                if (r.hasError()) {
                    throw new IllegalStateException(what + " failed on " + rpcUrl + ": " + r.getError().getMessage());
                }
            }
            return response.getResponses();
        } catch (IOException e) {
            throw new UncheckedIOException(what + " could not reach " + rpcUrl, e);
        }
    }

    private String sign(Credentials from, BigInteger nonce, BigInteger gasPrice, BigInteger gas,
                        String to, BigInteger value, String data) {
        RawTransaction tx = to == null
                ? RawTransaction.createContractTransaction(nonce, gasPrice, gas, value, data)
                : RawTransaction.createTransaction(nonce, gasPrice, gas, to, value, data);
        return Numeric.toHexString(TransactionEncoder.signMessage(tx, chainId(), from));
    }

    private BigInteger pendingNonce(Credentials from) {
        return Rpc.send(web3j.ethGetTransactionCount(from.getAddress(), DefaultBlockParameterName.PENDING), rpcUrl)
                .getTransactionCount();
    }

    /**
     * Not {@code eth_gasPrice} doubled: anvil suggests a price from the tips of recent blocks, so
     * paying twice its suggestion in every block doubled the price per block, and a driver sending
     * a transaction per block ran out of its 10,000 ETH after ~25 blocks. A fixed tip has no such
     * feedback. Without a base fee (pre-London chains) the node's suggestion is used as is.
     */
    private BigInteger gasPrice() {
        String baseFee = Rpc.send(web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false), rpcUrl)
                .getBlock().getBaseFeePerGasRaw();
        if (baseFee == null) {
            return Rpc.send(web3j.ethGasPrice(), rpcUrl).getGasPrice();
        }
        return Numeric.decodeQuantity(baseFee).shiftLeft(1).add(TIP);
    }

    private BigInteger estimateGas(Credentials from, String to, BigInteger value, String data) {
        Transaction call = to == null
                ? Transaction.createContractTransaction(from.getAddress(), null, null, null, value, data)
                : Transaction.createFunctionCallTransaction(from.getAddress(), null, null, null, to, value, data);
        BigInteger estimate = Rpc.send(web3j.ethEstimateGas(call), rpcUrl).getAmountUsed();
        return estimate.multiply(BigInteger.valueOf(3)).divide(BigInteger.TWO);
    }
}
