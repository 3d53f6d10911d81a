package io.pessimism.oracle.geth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pessimism.avro.Block;
import io.pessimism.network.Network;
import io.pessimism.oracle.OracleSettings;
import io.pessimism.oracle.OracleState;
import io.pessimism.oracle.OracleStatus;
import io.pessimism.oracle.bench.DevChain;
import io.pessimism.testkit.anvil.Anvil;
import io.pessimism.oracle.support.NodeLogs;
import io.pessimism.oracle.support.TestTopics;
import io.pessimism.topic.Topic;
import io.pessimism.oracle.support.TopicReader;
import io.pessimism.oracle.support.TopicReader.Entry;
import io.pessimism.testkit.kafka.KafkaClusterExtension;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.http.HttpService;

class BackfillThenLiveTest {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleNode();

    private static Anvil anvil;
    private static DevChain chain;
    private static Web3j checker;

    @BeforeAll
    static void startNode() {
        anvil = Anvil.builder().start();
        chain = new DevChain(anvil.httpUrl());
        checker = Web3j.build(new HttpService(anvil.httpUrl()));
    }

    @AfterAll
    static void stopNode() {
        checker.shutdown();
        anvil.close();
    }

    @Test
    void writesEveryBlockOnceInOrderWithItsLogsThenFollowsTheHead() throws Exception {
        chain.mineWithLogs(30, 6);
        chain.mineEmpty(40);
        long backfillHead = chain.head();
        long startedAt = System.currentTimeMillis();
        OracleSettings settings = OracleSettings.builder(Network.LAYER1, anvil.httpUrl(), KAFKA.bootstrapServers())
                .batchSize(16).concurrency(3).pollInterval(Duration.ofMillis(100)).build();
        Topic<String, Block> topic = TestTopics.blocks("t1", Network.LAYER1);

        try (GethBlockOracle oracle = new GethBlockOracle(settings, topic)) {
            oracle.start();
            // the oracle runs on its own thread: wait until it has committed the head
            await().atMost(Duration.ofSeconds(30)).until(() -> oracle.status().oracleHead() == backfillHead);
            chain.mineWithLogs(4, 3);
            chain.mineEmpty(2);
            long liveHead = chain.head();
            await().atMost(Duration.ofSeconds(20)).until(() -> oracle.status().oracleHead() == liveHead);
            assertThat(oracle.status().state()).isEqualTo(OracleState.LIVE);
            assertThat(oracle.status().lag()).isZero();
        }

        List<Entry> entries = TopicReader.readSettled(KAFKA.bootstrapServers(), topic.name(),
                topic.valueSerde().deserializer());
        long head = chain.head();
        assertThat(entries).extracting(Entry::key)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(0, head).mapToObj(Long::toString).toList());
        for (Entry entry : entries) {
            Block block = entry.block();
            EthBlock.Block expected = checker.ethGetBlockByNumber(
                    DefaultBlockParameter.valueOf(BigInteger.valueOf(block.getNumber())), true).send().getBlock();
            assertThat(block.getRemoved()).isFalse();
            assertThat(block.getNetwork()).isEqualTo("layer1");
            assertThat(block.getHash()).isEqualTo(expected.getHash());
            assertThat(block.getParentHash()).isEqualTo(expected.getParentHash());
            assertThat(block.getTransactions()).extracting(t -> t.getHash())
                    .containsExactlyElementsOf(expected.getTransactions().stream()
                            .map(t -> ((EthBlock.TransactionObject) t).getHash()).toList());
            NodeLogs.assertMatch(checker, block);
            // the record time is when the oracle wrote it, not the block's time
            assertThat(entry.timestamp()).isGreaterThanOrEqualTo(startedAt);
        }
        // the chain is shared with the other test: at least this test's own logs were checked
        assertThat(entries.stream().mapToInt(e -> e.block().getLogs().size()).sum()).isGreaterThanOrEqualTo(30 * 6 + 4 * 3);
    }

    @Test
    void withAWebSocketUrlANewHeadIsWrittenWithoutWaitingForThePollInterval() {
        OracleSettings settings = OracleSettings.builder(Network.LAYER1, anvil.httpUrl(), KAFKA.bootstrapServers())
                .wsUrl(java.util.Optional.of(anvil.wsUrl()))
                .pollInterval(Duration.ofSeconds(60)).build();
        Topic<String, Block> topic = TestTopics.blocks("t3", Network.LAYER1);
        try (GethBlockOracle oracle = new GethBlockOracle(settings, topic)) {
            oracle.start();
            long head = chain.head();
            await().atMost(Duration.ofSeconds(20)).until(() -> oracle.status().oracleHead() == head);
            await().atMost(Duration.ofSeconds(5)).until(() -> oracle.status().state() == OracleState.LIVE);
            chain.mineEmpty(1);
            // a 60 s poll interval: only the newHeads notification can bring the block this soon
            await().atMost(Duration.ofSeconds(15)).until(() -> oracle.status().oracleHead() == head + 1);
        }
    }

    @Test
    void aSecondCopyOfTheOracleFencesTheFirstWhichStops() {
        OracleSettings settings = OracleSettings.builder(Network.LAYER1, anvil.httpUrl(), KAFKA.bootstrapServers())
                .pollInterval(Duration.ofMillis(50)).build();
        Topic<String, Block> topic = TestTopics.blocks("t4", Network.LAYER1);
        try (GethBlockOracle first = new GethBlockOracle(settings, topic);
                GethBlockOracle second = new GethBlockOracle(settings, topic)) {
            first.start();
            long head = chain.head();
            await().atMost(Duration.ofSeconds(20)).until(() -> first.status().oracleHead() == head);
            second.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> second.status().state() == OracleState.LIVE);
            chain.mineWithLogs(2, 1);
            long newHead = chain.head();
            await().atMost(Duration.ofSeconds(20)).until(() -> second.status().oracleHead() == newHead);
            await().atMost(Duration.ofSeconds(20)).until(() -> first.status().state() == OracleState.FAILED);
            assertThat(first.status().lastError()).hasValueSatisfying(e -> assertThat(e).containsIgnoringCase("fenced"));
        }
        List<Entry> entries = TopicReader.readSettled(KAFKA.bootstrapServers(), topic.name(),
                topic.valueSerde().deserializer());
        assertThat(entries).extracting(Entry::key).containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(0, chain.head()).mapToObj(Long::toString).toList());
    }

    @Test
    void theBackTestRoutineWritesExactlyItsRangeIntoTheGivenTopicAndEnds() throws Exception {
        chain.mineWithLogs(20, 2);
        OracleSettings base = OracleSettings.builder(Network.LAYER1, anvil.httpUrl(), KAFKA.bootstrapServers())
                .batchSize(4).concurrency(2).build();
        Topic<String, Block> blocks = TestTopics.blocks("t2", Network.LAYER1);
        String topic = "t2.backtest.0123456789abcdef0123456789abcdef.source";

        OracleStatus status = new GethBlockBackTest(base, blocks).run(5, 15, topic);

        assertThat(status.state()).isEqualTo(OracleState.DONE);
        assertThat(status.oracleHead()).isEqualTo(15);
        // commitTransaction returns before the commit markers are on the partition, so a read_committed
        // reader may see the range a moment after DONE
        List<Entry> entries = await("the range's commit is visible to read_committed").atMost(Duration.ofSeconds(10))
                .until(() -> TopicReader.readAll(KAFKA.bootstrapServers(), topic, blocks.valueSerde().deserializer()),
                        read -> !read.isEmpty() && read.get(read.size() - 1).key().equals("15"));
        assertThat(entries).extracting(Entry::key).containsExactly("5", "6", "7", "8", "9", "10", "11", "12", "13",
                "14", "15");
        // a rerun on the same topic resumes after 15: nothing is written twice
        assertThat(new GethBlockBackTest(base, blocks).run(5, 15, topic).state())
                .isEqualTo(OracleState.DONE);
        assertThat(TopicReader.readSettled(KAFKA.bootstrapServers(), topic, blocks.valueSerde().deserializer()))
                .hasSize(11);
    }
}
