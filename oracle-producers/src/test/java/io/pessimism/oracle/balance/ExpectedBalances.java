package io.pessimism.oracle.balance;

import static org.assertj.core.api.Assertions.assertThat;

import io.pessimism.avro.AccountBalance;
import io.pessimism.topic.Topic;
import io.pessimism.topic.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
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
 * the balance and block it replaces. In topic order: by block, then by address. And the check that
 * an output read {@code read_committed} holds exactly those.
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

    /** The records read_committed, in topic order, are the expected ones: none missing, none twice, exact values. */
    static void assertExactly(List<ConsumerRecord<String, AccountBalance>> committed,
            List<AccountBalance> expected) {
        List<AccountBalance> actual = committed.stream().map(ConsumerRecord::value)
                .filter(v -> !v.getProgress()).toList(); // each transaction's progress mark: no balance
        Map<String, Long> counts = actual.stream().collect(Collectors.groupingBy(
                ExpectedBalances::where, LinkedHashMap::new, Collectors.counting()));
        Set<String> owed = expected.stream().map(ExpectedBalances::where).collect(Collectors.toSet());
        assertThat(counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList())
                .as("(address, block) written more than once").isEmpty();
        assertThat(owed.stream().filter(k -> !counts.containsKey(k)).sorted().toList())
                .as("(address, block) missing").isEmpty();
        assertThat(counts.keySet().stream().filter(k -> !owed.contains(k)).toList())
                .as("(address, block) written without a change of balance").isEmpty();
        assertThat(actual).as("every record's values, in topic order").containsExactlyElementsOf(expected);
        assertThat(committed).allSatisfy(r -> assertThat(r.key()).as("key of %s", where(r.value()))
                .isEqualTo(Long.toString(r.value().getBlockNumber())));
        assertThat(expected).as("records owed").isNotEmpty();
    }

    /** Every record of {@code topic} up to its end, as a reader of {@code isolation} sees it, within {@code wait}. */
    static List<ConsumerRecord<String, AccountBalance>> read(String bootstrapServers, Topic<String, AccountBalance> topic,
            String isolation, Duration wait) {
        TopicPartition partition = new TopicPartition(topic.name(), 0);
        try (KafkaConsumer<String, AccountBalance> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MAX_MESSAGE_BYTES),
                new StringDeserializer(), topic.valueSerde().deserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            List<ConsumerRecord<String, AccountBalance>> records = new ArrayList<>();
            long deadline = System.nanoTime() + wait.toNanos();
            while (consumer.position(partition) < end) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic.name() + " (" + isolation + ") to " + end
                            + " within " + wait + "; at " + consumer.position(partition));
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    /** A record's (address, block), as the checks name it. */
    static String where(AccountBalance record) {
        return record.getAddress() + "@" + record.getBlockNumber();
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
