package io.pessimism.oracle.rpc;

import io.pessimism.avro.CreatedContract;
import io.pessimism.avro.CreationKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.web3j.protocol.core.methods.response.EthBlock.TransactionObject;
import org.web3j.protocol.core.methods.response.EthGetTransactionReceipt;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Reads the receipts of a block's contract-creating transactions ({@code to} null): each one's
 * {@code contractAddress}, and the successful ones as created contracts of kind TRANSACTION. A
 * receipt is fetched by transaction hash, so it must name the block the oracle is reading: when the
 * chain reorganised in between, the receipt is another block's and the fetch is retried.
 */
final class ReceiptCreations {

    private static final String METHOD = "eth_getTransactionReceipt";
    private static final String FAILED = "0x0";

    private ReceiptCreations() {
    }

    /**
     * @param creations the block's transactions with {@code to} null, in block order
     * @param replies   their receipts, in the same order
     * @throws NodeException naming the block and the transaction when a receipt is missing, failed
     *     to come, belongs to another block or has no {@code contractAddress}
     */
    static BlockCreations read(long height, String blockHash, List<TransactionObject> creations,
            List<EthGetTransactionReceipt> replies) {
        Map<String, String> addresses = new HashMap<>();
        List<CreatedContract> created = new ArrayList<>();
        for (int i = 0; i < creations.size(); i++) {
            TransactionObject tx = creations.get(i);
            String hash = BlockMapper.hex(tx.getHash(), height, "transaction hash");
            TransactionReceipt receipt = receipt(height, blockHash, tx.getHash(), replies.get(i));
            String where = "transaction " + tx.getHash() + " receipt contractAddress";
            if (receipt.getContractAddress() == null) {
                throw NodeException.at(METHOD, height, "transaction " + tx.getHash()
                        + " creates a contract but its receipt has no contractAddress");
            }
            String address = BlockMapper.hex(receipt.getContractAddress(), height, where);
            addresses.put(hash, address);
            // a receipt without status predates Byzantium, where a failed creation cannot be told apart
            if (!FAILED.equals(receipt.getStatus())) {
                created.add(CreatedContract.newBuilder()
                        .setTransactionHash(hash)
                        .setTransactionIndex(BlockMapper.quantity(tx.getTransactionIndexRaw(), height,
                                "transaction " + tx.getHash() + " transactionIndex").intValueExact())
                        .setCreator(BlockMapper.hex(tx.getFrom(), height, "transaction " + tx.getHash() + " from"))
                        .setAddress(address)
                        .setKind(CreationKind.TRANSACTION)
                        .build());
            }
        }
        return new BlockCreations(addresses, created);
    }

    private static TransactionReceipt receipt(long height, String blockHash, String txHash,
            EthGetTransactionReceipt reply) {
        if (reply.hasError()) {
            throw NodeException.at(METHOD, height, "transaction " + txHash + ": RPC error "
                    + reply.getError().getCode() + " " + reply.getError().getMessage());
        }
        TransactionReceipt receipt = reply.getResult();
        if (receipt == null) {
            throw NodeException.at(METHOD, height, "transaction " + txHash
                    + ": the node has no receipt (the chain may have reorganised since the block was read)");
        }
        if (receipt.getBlockHash() == null || !receipt.getBlockHash().equalsIgnoreCase(blockHash)) {
            throw NodeException.at(METHOD, height, "transaction " + txHash + ": the receipt is of block "
                    + receipt.getBlockHash() + ", not " + blockHash + " (the chain reorganised meanwhile)");
        }
        return receipt;
    }
}
