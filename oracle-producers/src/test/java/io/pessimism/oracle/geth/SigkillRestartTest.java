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
import io.pessimism.testkit.kafka.KafkaClusterExtension;
import io.pessimism.topic.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The oracle as its own JVM, SIGKILLed during backfill and during live following, restarted each time. */
class SigkillRestartTest {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleNode();

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

            try (KafkaConsumer<byte[], byte[]> progress = progressReader()) {
                TopicPartition partition = new TopicPartition(topic, 0);
                progress.assign(List.of(partition));
                for (long killAt : new long[] {40, 120}) {
                    OracleProcess oracle = OracleProcess.start(OracleMain.class.getName(), log, args);
                    // the child writes on its own: wait until its committed output passes the mark
                    await().atMost(Duration.ofSeconds(60)).until(() -> endOffset(progress, partition) >= killAt);
                    oracle.kill();
                }
                assertThat(endOffset(progress, partition)).as("killed during backfill").isLessThan(chain.head());

                proxy.delay(Duration.ZERO);
                AtomicBoolean mining = new AtomicBoolean(true);
                Thread miner = new Thread(() -> {
                    while (mining.get()) {
                        chain.mineWithLogs(1, 2);
                    }
                }, "miner");
                miner.start();
                try {
                    for (int kill = 0; kill < 3; kill++) {
                        OracleProcess oracle = OracleProcess.start(OracleMain.class.getName(), log, args);
                        long before = chain.head();
                        // live: the child has caught up with a head the miner keeps moving
                        await().atMost(Duration.ofSeconds(60))
                                .until(() -> endOffset(progress, partition) > before + 1);
                        oracle.kill();
                    }
                } finally {
                    mining.set(false);
                    miner.join();
                }
                long head = chain.head();
                try (OracleProcess oracle = OracleProcess.start(OracleMain.class.getName(), log, args)) {
                    await().atMost(Duration.ofSeconds(60)).until(() -> lastHeight(blocks) == head);
                }
                List<Entry> entries = TopicReader.readSettled(KAFKA.bootstrapServers(), topic,
                        blocks.valueSerde().deserializer());
                assertThat(entries).extracting(Entry::key).containsExactlyElementsOf(
                        LongStream.rangeClosed(0, head).mapToObj(Long::toString).toList());
                assertThat(ChainChecker.canonical(entries)).extracting(Block::getHash).containsExactlyElementsOf(
                        node.headers(0, head).stream().map(BlockHeader::hash).toList());
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
