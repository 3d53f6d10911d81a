package io.pessimism.app.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthGetBalance;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;

/**
 * What the node says, read over JSON-RPC apart from the oracles, to hold {@code .out} records
 * against: a balance at a block hash (EIP-1898, so a block replaced meanwhile is not confused with
 * its replacement), and a block with its transactions and its logs, the logs taken from the
 * transactions' receipts (the oracle reads them with {@code eth_getLogs} instead).
 */
final class NodeReads implements AutoCloseable {

    private final String rpcUrl;
    private final HttpService service;
    private final Web3j web3j;

    NodeReads(String rpcUrl) {
        this.rpcUrl = rpcUrl;
        this.service = new HttpService(rpcUrl);
        this.web3j = Web3j.build(service);
    }

    /** The balance in wei of {@code address} in the state of the block {@code blockHash}. */
    BigInteger balanceAt(String address, String blockHash) {
        return send(new Request<>("eth_getBalance", List.of(address, Map.of("blockHash", blockHash)), service,
                EthGetBalance.class)).getBalance();
    }

    /** The hash of the canonical block at {@code number} now. */
    String hashAt(long number) {
        return header(send(web3j.ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(number)), false)),
                "number " + number).getHash();
    }

    /** The canonical block at {@code number} now, with its transactions and logs. */
    ChainBlock blockAt(long number) {
        return block(hashAt(number));
    }

    /** The block {@code hash}, with its transactions and logs (read it before a reorg orphans it). */
    ChainBlock block(String hash) {
        EthBlock.Block block = header(send(web3j.ethGetBlockByHash(hash, false)), "hash " + hash);
        List<String> transactions = block.getTransactions().stream().map(tx -> (String) tx.get()).toList();
        List<ChainLog> logs = new ArrayList<>();
        for (String tx : transactions) {
            TransactionReceipt receipt = send(web3j.ethGetTransactionReceipt(tx)).getTransactionReceipt()
                    .orElseThrow(() -> new IllegalStateException("no receipt for " + tx + " of block " + hash));
            if (!receipt.getBlockHash().equals(hash)) {
                throw new IllegalStateException("the receipt of " + tx + " is of block " + receipt.getBlockHash()
                        + ", not of block " + hash + " that lists it");
            }
            receipt.getLogs().forEach(log -> logs.add(ChainLog.of(log)));
        }
        return new ChainBlock(block.getNumber().longValueExact(), block.getHash(), block.getParentHash(),
                block.getTimestamp().longValueExact(), transactions, logs);
    }

    private EthBlock.Block header(EthBlock answer, String which) {
        if (answer.getBlock() == null) {
            throw new IllegalStateException("no block with " + which + " on " + rpcUrl);
        }
        return answer.getBlock();
    }

    private <R extends Response<?>> R send(Request<?, R> request) {
        try {
            R response = request.send();
            if (response.hasError()) {
                throw new IllegalStateException(request.getMethod() + " " + request.getParams() + " failed on "
                        + rpcUrl + ": " + response.getError().getMessage());
            }
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(request.getMethod() + " could not reach " + rpcUrl, e);
        }
    }

    @Override
    public void close() {
        web3j.shutdown();
    }
}
