package io.pessimism.oracle.balance;

import io.pessimism.avro.AccountBalance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.BatchRequest;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthGetBalance;

/**
 * An independent checker of the AccountBalance oracle: the records it owes, computed from the node
 * alone (plain {@code eth_getBalance} and {@code eth_getBlockByNumber}, none of the oracle's code),
 * for a chain without reorgs. For each watched address: one record at the block its interest became
 * effective, then one at every block where its balance differs from the block before, each carrying
 * the balance and block it replaces. In topic order: by block, then by address.
 */
final class ExpectedBalances {

    private static final int BATCH = 500;

    private ExpectedBalances() {
    }

    /**
     * @param effectiveFrom each watched address (lowercase) with the block its one interest is effective from
     * @param head the last block the oracle has read
     */
    static List<AccountBalance> of(Web3j web3j, String network, Map<String, Long> effectiveFrom, long head) {
        long first = effectiveFrom.values().stream().mapToLong(Long::longValue).min().orElseThrow();
        Map<Long, String> hashes = hashes(web3j, first, head);
        List<AccountBalance> expected = new ArrayList<>();
        for (Map.Entry<String, Long> watched : effectiveFrom.entrySet()) {
            String address = watched.getKey();
            List<BigInteger> balances = balances(web3j, address, watched.getValue(), head);
            String previous = null;
            Long previousBlock = null;
            for (int i = 0; i < balances.size(); i++) {
                long block = watched.getValue() + i;
                String balance = balances.get(i).toString();
                if (!balance.equals(previous)) {
                    expected.add(AccountBalance.newBuilder().setNetwork(network).setAddress(address)
                            .setBlockNumber(block).setBlockHash(hashes.get(block)).setBalance(balance)
                            .setPreviousBalance(previous).setPreviousBlockNumber(previousBlock).setRemoved(false)
                            .build());
                    previous = balance;
                    previousBlock = block;
                }
            }
        }
        expected.sort(Comparator.comparingLong(AccountBalance::getBlockNumber)
                .thenComparing(AccountBalance::getAddress));
        return expected;
    }

    private static Map<Long, String> hashes(Web3j web3j, long from, long to) {
        Map<Long, String> hashes = new HashMap<>();
        for (long start = from; start <= to; start += BATCH) {
            BatchRequest batch = web3j.newBatch();
            long end = Math.min(to, start + BATCH - 1);
            for (long n = start; n <= end; n++) {
                batch.add(web3j.ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(n)), false));
            }
            for (Response<?> reply : send(batch, "eth_getBlockByNumber " + start + ".." + end)) {
                EthBlock.Block block = ((EthBlock) reply).getBlock();
                hashes.put(block.getNumber().longValueExact(), block.getHash());
            }
        }
        return hashes;
    }

    /** The address's balance at each block {@code from..to}, in order. */
    private static List<BigInteger> balances(Web3j web3j, String address, long from, long to) {
        List<BigInteger> balances = new ArrayList<>();
        for (long start = from; start <= to; start += BATCH) {
            BatchRequest batch = web3j.newBatch();
            long end = Math.min(to, start + BATCH - 1);
            for (long n = start; n <= end; n++) {
                batch.add(web3j.ethGetBalance(address, DefaultBlockParameter.valueOf(BigInteger.valueOf(n))));
            }
            for (Response<?> reply : send(batch, "eth_getBalance " + address + " at " + start + ".." + end)) {
                balances.add(((EthGetBalance) reply).getBalance());
            }
        }
        return balances;
    }

    private static List<? extends Response<?>> send(BatchRequest batch, String what) {
        try {
            List<? extends Response<?>> replies = batch.send().getResponses();
            if (replies.size() != batch.getRequests().size()) {
                throw new IllegalStateException(what + ": " + replies.size() + " replies to "
                        + batch.getRequests().size() + " requests");
            }
            for (int i = 0; i < replies.size(); i++) {
                Response<?> reply = replies.get(i);
                if (reply.hasError()) {
                    throw new IllegalStateException(what + ": " + reply.getError().getMessage());
                }
                // web3j pairs a batch's replies by position: make sure the node answered in order
                if (reply.getId() != batch.getRequests().get(i).getId()) {
                    throw new IllegalStateException(what + ": reply " + i + " answers request " + reply.getId()
                            + ", not " + batch.getRequests().get(i).getId());
                }
            }
            return replies;
        } catch (IOException e) {
            throw new UncheckedIOException(what, e);
        }
    }
}
