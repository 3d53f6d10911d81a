package io.pessimism.oracle.geth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pessimism.avro.Block;
import io.pessimism.network.Network;
import io.pessimism.oracle.bench.DevChain;
import io.pessimism.oracle.rpc.BlockHeader;
import io.pessimism.oracle.rpc.NodeClient;
import io.pessimism.oracle.support.ChainChecker;
import io.pessimism.oracle.support.FaultProxy;
import io.pessimism.testkit.anvil.Anvil;
import io.pessimism.oracle.support.OracleProcess;
import io.pessimism.oracle.OracleMain;
import io.pessimism.oracle.support.TestTopics;
import io.pessimism.schemaregistry.EmbeddedSchemaRegistry;
import io.pessimism.topic.Topic;
import io.pessimism.oracle.support.TopicReader;
import io.pessimism.oracle.support.TopicReader.Entry;
import io.pessimism.oracle.support.TransactionProbe;
import io.pessimism.oracle.OracleProducers;
import io.pessimism.testkit.kafka.ProduceThrottle;
import io.pessimism.testkit.kafka.KafkaClusterExtension;
import io.pessimism.topic.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The oracle as its own JVM, SIGKILLed twice during backfill inside an open transaction (its commit
 * held back by a produce quota, the coordinator reporting the transaction open for a second) and
 * three times while following the head (its committed height at the head, then one block more),
 * restarted each time: a read_committed reader sees every height once, the node's canonical chain,
 * and the aborted records show where the backfill kills struck.
 */
class SigkillRestartTest {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleNode();

    /** A throttled commit is held for minutes: a transaction open this long is the one the kill strikes. */
    private static final Duration PINNED = Duration.ofSeconds(1);
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path logs;

    @Test
    void aReadCommittedReaderSeesEveryHeightOnceAfterRepeatedKills() throws Exception {
        try (Anvil anvil = Anvil.builder().start();
                EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.builder()
                        .bootstrapServers(KAFKA.bootstrapServers()).storeTopic(new TopicNames("kill").schemas()).replicationFactor(1).build().start();
                FaultProxy proxy = new FaultProxy(anvil.port());
                NodeClient node = NodeClient.connect(anvil.httpUrl(), "layer1", 2)) {
            DevChain chain = new DevChain(anvil.httpUrl());
            chain.mineWithLogs(250, 3);
            // slow each request down so a backfill of 250 blocks takes seconds: room for two kills
            proxy.delay(Duration.ofMillis(25));
            Topic<String, Block> blocks = TestTopics.blocks("kill", Network.LAYER1, registry.registry());
            String topic = blocks.name();
            String[] args = {"--bootstrap-servers", KAFKA.bootstrapServers(), "--registry-url", registry.url(),
                "--namespace", "kill",
                "--network", "layer1", "--rpc-url", proxy.url(), "--batch-size", "5", "--concurrency", "1",
                "--poll-interval-ms", "50"};
            Path log = logs.resolve("oracle.log");

            TopicPartition partition = new TopicPartition(topic, 0);
            try (KafkaConsumer<byte[], byte[]> progress = progressReader();
                    TransactionProbe probe = new TransactionProbe(KAFKA.bootstrapServers(), partition,
                            OracleProducers.transactionalId(topic), "unused", partition);
                    ProduceThrottle throttle = new ProduceThrottle(KAFKA.bootstrapServers(),
                            OracleProducers.transactionalId(topic))) {
                progress.assign(List.of(partition));
                List<String> kills = new ArrayList<>();
                for (long killAt : new long[] {40, 120}) {
                    OracleProcess oracle = OracleProcess.start(OracleMain.class.getName(), log, args);
                    // the child writes on its own: wait until its committed output passes the mark
                    await("the oracle commits past offset " + killAt).atMost(WAIT)
                            .until(() -> endOffset(progress, partition) >= killAt);
                    // then hold its next commit back: its transaction stays open, its records undecided
                    throttle.limit(1);
                    await("the oracle's transaction stays open for a second").atMost(WAIT)
                            .until(() -> probe.ends().undecided() && probe.openFor().compareTo(PINNED) >= 0);
                    TransactionProbe.Ends ends = probe.ends();
                    oracle.kill();
                    throttle.lift();
                    kills.add("backfill kill at " + ends + " (" + probe.transaction().state() + ")");
                    assertThat(ends.undecided()).as("killed inside an open transaction").isTrue();
                }
                assertThat(endOffset(progress, partition)).as("killed during backfill").isLessThan(chain.head());

                proxy.delay(Duration.ZERO);
                AtomicBoolean mining = new AtomicBoolean(true);
                CompletableFuture<Void> miner = CompletableFuture.runAsync(() -> {
                    while (mining.get()) {
                        chain.mineWithLogs(1, 2);
                    }
                });
                try {
                    for (int kill = 0; kill < 3; kill++) {
                        OracleProcess oracle = OracleProcess.start(OracleMain.class.getName(), log, args);
                        // following: its committed height reaches the head seen now, then one block more
                        long headNow = chain.head();
                        await("the oracle commits the head " + headNow).atMost(WAIT)
                                .until(() -> lastHeight(blocks) >= headNow);
                        long caughtUp = lastHeight(blocks);
                        await("the oracle commits a block mined after it caught up").atMost(WAIT)
                                .until(() -> lastHeight(blocks) > caughtUp);
                        assertThat(miner).as("the miner still mines").isNotDone();
                        oracle.kill();
                        kills.add("live kill after block " + lastHeight(blocks) + " of head " + chain.head());
                    }
                } finally {
                    mining.set(false);
                    miner.get(30, TimeUnit.SECONDS); // rethrows what failed the miner
                }
                long head = chain.head();
                try (OracleProcess oracle = OracleProcess.start(OracleMain.class.getName(), log, args)) {
                    await("the restarted oracle commits the head " + head).atMost(WAIT)
                            .until(() -> lastHeight(blocks) == head);
                }
                List<Entry> entries = TopicReader.readSettled(KAFKA.bootstrapServers(), topic,
                        blocks.valueSerde().deserializer());
                assertThat(entries).as("%s", kills).extracting(Entry::key).containsExactlyElementsOf(
                        LongStream.rangeClosed(0, head).mapToObj(Long::toString).toList());
                assertThat(ChainChecker.canonical(entries)).extracting(Block::getHash).containsExactlyElementsOf(
                        node.headers(0, head).stream().map(BlockHeader::hash).toList());
                assertThat(TopicReader.count(KAFKA.bootstrapServers(), topic, "read_uncommitted"))
                        .as("aborted records of the transactions the kills left open").isGreaterThan(entries.size());
            }
        }
    }

    private static long lastHeight(Topic<String, Block> topic) {
        List<Entry> entries = TopicReader.readAll(KAFKA.bootstrapServers(), topic.name(),
                topic.valueSerde().deserializer());
        return entries.isEmpty() ? -1 : entries.get(entries.size() - 1).block().getNumber();
    }

    private static KafkaConsumer<byte[], byte[]> progressReader() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static long endOffset(KafkaConsumer<byte[], byte[]> consumer, TopicPartition partition) {
        try {
            return consumer.endOffsets(List.of(partition)).getOrDefault(partition, 0L);
        } catch (RuntimeException e) {
            return 0; // the child has not created its topic yet
        }
    }
}
