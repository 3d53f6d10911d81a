package io.pessimism.topology.bench;

import io.pessimism.avro.AddressInterest;
import io.pessimism.avro.Block;
import io.pessimism.avro.Log;
import io.pessimism.avro.Transaction;
import io.pessimism.interest.EventSignature;
import io.pessimism.interest.InterestHorizon;
import io.pessimism.interest.InterestKey;
import io.pessimism.network.Network;
import io.pessimism.topic.Topic;
import io.pessimism.topic.Topics;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Synthetic layer1 blocks for the pipe benches: many contracts' logs, two of them a watched (address,
 * event); a topic filled with them, and the bench owner's interest in the watched pair.
 */
final class BenchBlocks {

    static final String WATCHED = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
    static final String PING = "Ping(address,uint256)";
    /** The one owner of the benches' pipelines. */
    static final String OWNER = "bench";
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
            boolean watched = isWatched(i, logs);
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

    /** Whether log {@code index} of a block of {@code logs} logs is a watched (address, event): two per block. */
    static boolean isWatched(int index, int logs) {
        return index == 3 || index == logs - 1;
    }

    /**
     * Fills {@code topic} with blocks 1..{@code count} of {@code transactions} transactions and
     * {@code logs} logs each, as an oracle would (zstd, large batches), printing progress.
     */
    static void fill(String bootstrapServers, Topic<String, Block> topic, long count, int transactions, int logs,
            PrintStream out) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_MESSAGE_BYTES);
        long start = System.nanoTime();
        long lastLine = start;
        try (var producer = new KafkaProducer<>(props, topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            for (long n = 1; n <= count; n++) {
                producer.send(new ProducerRecord<>(topic.name(), Long.toString(n), block(n, transactions, logs)));
                long now = System.nanoTime();
                if (now - lastLine > TimeUnit.SECONDS.toNanos(3) || n == count) {
                    lastLine = now;
                    out.printf("filling %s: %,d/%,d blocks of %d transactions and %d logs (%,.0f blocks/s)%n",
                            topic.name(), n, count, transactions, logs, n / ((now - start) / 1e9));
                }
            }
            producer.flush();
        }
    }

    /**
     * The owner {@value #OWNER}'s interest of pipeline {@code puuid} in the watched (address, event),
     * effective from block {@code from}, on {@code <ns>.state}; and, as there is no control plane
     * in a bench, layer1's interest horizon at its end, so no branch holds a block for it.
     */
    static void watch(String bootstrapServers, Topics topics, String puuid, long from) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        var state = topics.state();
        try (var producer = new KafkaProducer<>(props, state.keySerde().serializer(), state.valueSerde().serializer())) {
            var interest = new AddressInterest(puuid, WATCHED, OWNER, List.of(PING), from);
            producer.send(new ProducerRecord<>(state.name(), InterestKey.of(interest).render(), interest));
            producer.send(new ProducerRecord<>(state.name(), InterestHorizon.key(Network.LAYER1),
                    InterestHorizon.record(Network.LAYER1, Long.MAX_VALUE)));
            producer.flush();
        }
    }

    static String hex(long value, int digits) {
        String body = Long.toHexString(value);
        return "0x" + "0".repeat(Math.max(0, digits - body.length())) + body;
    }
}
