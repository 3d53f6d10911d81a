package io.pessimism.oracle.rpc;

import io.pessimism.avro.Block;
import io.pessimism.avro.Log;
import io.pessimism.avro.Transaction;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthBlock.TransactionObject;
import org.web3j.utils.Numeric;

/**
 * Maps a node's block (with full transactions) and the logs of that block to the Avro {@link Block}.
 * Hex strings become lowercase (nodes may answer checksummed addresses), wei amounts exact decimal
 * strings, and {@code to} stays null for a contract creation. A missing or malformed field is an error
 * naming the block height and the field, never a default.
 */
public final class BlockMapper {

    private static final String GET_BLOCK = "eth_getBlockByNumber";

    private BlockMapper() {
    }

    public static Block toAvro(String network, EthBlock.Block block, List<org.web3j.protocol.core.methods.response.Log> logs) {
        return toAvro(network, block, logs, BlockCreations.notFetched());
    }

    /**
     * As {@link #toAvro(String, EthBlock.Block, List)}, with what the oracle found out about the
     * contracts the block created: a creating transaction's {@code contractAddress} is its receipt's
     * (else whatever the node sent as {@code creates}), and {@code createdContracts} the list found.
     */
    static Block toAvro(String network, EthBlock.Block block, List<org.web3j.protocol.core.methods.response.Log> logs,
            BlockCreations creations) {
        long number = quantity(block.getNumberRaw(), -1, "number").longValueExact();
        List<Transaction> transactions = new ArrayList<>(block.getTransactions().size());
        for (EthBlock.TransactionResult<?> result : block.getTransactions()) {
            if (!(result instanceof TransactionObject tx)) {
                throw NodeException.at(GET_BLOCK, number, "transactions came as hashes, full objects were requested");
            }
            transactions.add(transaction(number, tx, creations));
        }
        List<Log> avroLogs = new ArrayList<>(logs.size());
        for (org.web3j.protocol.core.methods.response.Log log : logs) {
            avroLogs.add(log(number, log));
        }
        avroLogs.sort(Comparator.comparingInt(Log::getLogIndex));
        String baseFee = block.getBaseFeePerGasRaw();
        return Block.newBuilder()
                .setNetwork(network)
                .setNumber(number)
                .setHash(hex(block.getHash(), number, "hash"))
                .setParentHash(hex(block.getParentHash(), number, "parentHash"))
                .setTimestamp(quantity(block.getTimestampRaw(), number, "timestamp").longValueExact())
                .setMiner(hex(block.getMiner(), number, "miner"))
                .setGasUsed(quantity(block.getGasUsedRaw(), number, "gasUsed").longValueExact())
                .setGasLimit(quantity(block.getGasLimitRaw(), number, "gasLimit").longValueExact())
                .setBaseFeePerGas(baseFee == null ? null : quantity(baseFee, number, "baseFeePerGas").toString())
                .setStateRoot(hex(block.getStateRoot(), number, "stateRoot"))
                .setReceiptsRoot(hex(block.getReceiptsRoot(), number, "receiptsRoot"))
                .setLogsBloom(hex(block.getLogsBloom(), number, "logsBloom"))
                .setTransactions(transactions)
                .setLogs(avroLogs)
                .setRemoved(false)
                .setCreatedContracts(creations.created())
                .build();
    }

    /** The identity fields only, for the reorg walk-back. */
    public static BlockHeader header(EthBlock.Block block) {
        long number = quantity(block.getNumberRaw(), -1, "number").longValueExact();
        return new BlockHeader(number, hex(block.getHash(), number, "hash"), hex(block.getParentHash(), number, "parentHash"));
    }

    /** True when the bloom has no bit set: such a block has no logs, so asking for them is a wasted call. */
    public static boolean bloomIsEmpty(String logsBloom) {
        if (logsBloom == null) {
            return false;
        }
        for (int i = logsBloom.startsWith("0x") ? 2 : 0; i < logsBloom.length(); i++) {
            if (logsBloom.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }

    private static Transaction transaction(long number, TransactionObject tx, BlockCreations creations) {
        String where = "transaction " + tx.getHash();
        String type = tx.getType();
        String hash = hex(tx.getHash(), number, "transaction hash");
        String created = creations.receiptAddresses().get(hash);
        return Transaction.newBuilder()
                .setHash(hash)
                .setFrom(hex(tx.getFrom(), number, where + " from"))
                .setTo(tx.getTo() == null ? null : hex(tx.getTo(), number, where + " to"))
                .setContractAddress(created != null ? created
                        : tx.getCreates() == null ? null : hex(tx.getCreates(), number, where + " creates"))
                .setValue(quantity(tx.getValueRaw(), number, where + " value").toString())
                .setNonce(quantity(tx.getNonceRaw(), number, where + " nonce").longValueExact())
                .setGas(quantity(tx.getGasRaw(), number, where + " gas").longValueExact())
                .setInput(hex(tx.getInput(), number, where + " input"))
                // Nodes before EIP-2718 send no type: every transaction was then legacy (0).
                .setType(type == null ? 0 : quantity(type, number, where + " type").intValueExact())
                .setTransactionIndex(quantity(tx.getTransactionIndexRaw(), number, where + " transactionIndex").intValueExact())
                .build();
    }

    private static Log log(long number, org.web3j.protocol.core.methods.response.Log log) {
        String where = "log of transaction " + log.getTransactionHash();
        List<String> topics = new ArrayList<>(log.getTopics() == null ? 0 : log.getTopics().size());
        if (log.getTopics() != null) {
            for (String topic : log.getTopics()) {
                topics.add(hex(topic, number, where + " topic"));
            }
        }
        return Log.newBuilder()
                .setAddress(hex(log.getAddress(), number, where + " address"))
                .setTopics(topics)
                .setData(hex(log.getData(), number, where + " data"))
                .setTransactionHash(hex(log.getTransactionHash(), number, where + " transactionHash"))
                .setTransactionIndex(quantity(log.getTransactionIndexRaw(), number, where + " transactionIndex").intValueExact())
                .setLogIndex(quantity(log.getLogIndexRaw(), number, where + " logIndex").intValueExact())
                .build();
    }

    static String hex(String value, long number, String field) {
        if (value == null || !value.startsWith("0x")) {
            throw malformed(number, field, value, () -> "0x-prefixed hex");
        }
        for (int i = 2; i < value.length(); i++) {
            if (Character.digit(value.charAt(i), 16) < 0) {
                throw malformed(number, field, value, () -> "hex digits");
            }
        }
        return value.toLowerCase(Locale.ROOT);
    }

    static BigInteger quantity(String value, long number, String field) {
        try {
            return Numeric.decodeQuantity(value);
        } catch (RuntimeException e) {
            throw malformed(number, field, value, () -> "a hex quantity");
        }
    }

    private static NodeException malformed(long number, String field, String value, Supplier<String> expected) {
        String shown = value == null ? "nothing" : "'" + (value.length() > 80 ? value.substring(0, 80) + "…" : value) + "'";
        String block = number < 0 ? "a block" : "block " + number;
        return new NodeException(block + " from the node: field " + field + " is " + shown + ", expected " + expected.get());
    }
}
