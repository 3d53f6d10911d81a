package io.pessimism.oracle.geth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pessimism.avro.Block;
import io.pessimism.network.Network;
import io.pessimism.oracle.OracleSettings;
import io.pessimism.oracle.OracleState;
import io.pessimism.oracle.bench.DevChain;
import io.pessimism.oracle.rpc.BlockHeader;
import io.pessimism.oracle.rpc.NodeClient;
import io.pessimism.oracle.support.ChainChecker;
import io.pessimism.oracle.support.NodeLogs;
import io.pessimism.testkit.anvil.Anvil;
import io.pessimism.oracle.support.TestTopics;
import io.pessimism.topic.Topic;
import io.pessimism.oracle.support.TopicReader;
import io.pessimism.oracle.support.TopicReader.Entry;
import io.pessimism.testkit.kafka.KafkaClusterExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ReorgTest {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleNode();

    private Anvil anvil;
    private DevChain chain;
    private NodeClient node;

    @BeforeEach
    void startNode() {
        anvil = Anvil.builder().start();
        chain = new DevChain(anvil.httpUrl());
        node = NodeClient.connect(anvil.httpUrl(), "layer2", 2);
    }

    @AfterEach
    void stopNode() {
        node.close();
        anvil.close();
    }

    private OracleSettings.Builder settings() {
        return OracleSettings.builder(Network.LAYER2, anvil.httpUrl(), KAFKA.bootstrapServers())
                .batchSize(8).concurrency(2).pollInterval(Duration.ofMillis(50)).reorgWindow(16);
    }

    @Test
    void reorgsOfDepthOneToFiveAreRetractedNewestFirstThenReplacedByTheNewChain() {
        chain.mineWithLogs(12, 2);
        OracleSettings settings = settings().build();
        Topic<String, Block> topic = TestTopics.blocks("reorg", Network.LAYER2);
        List<List<String>> orphanedPerReorg = new ArrayList<>();
        try (GethBlockOracle oracle = new GethBlockOracle(settings, topic)) {
            oracle.start();
            for (int depth = 1; depth <= 5; depth++) {
                chain.mineWithLogs(depth + 1, 2);
                long head = chain.head();
                await().atMost(Duration.ofSeconds(20)).until(() -> oracle.status().oracleHead() == head);
                orphanedPerReorg.add(node.headers(head - depth + 1, head).stream().map(BlockHeader::hash).toList());
                chain.reorg(depth, depth + 1);
                int reorgs = depth;
                // the same height, other hashes: found by the oracle's check of its tip while idle
                await().atMost(Duration.ofSeconds(20)).until(() -> oracle.status().reorgs() == reorgs);
                await().atMost(Duration.ofSeconds(20)).until(() -> oracle.status().oracleHead() == head);
            }
            assertThat(oracle.status().state()).isEqualTo(OracleState.LIVE);
        }

        List<Entry> entries = TopicReader.readSettled(KAFKA.bootstrapServers(), topic.name(),
                topic.valueSerde().deserializer());
        List<Block> canonical = ChainChecker.canonical(entries);
        long head = chain.head();
        assertThat(canonical).extracting(Block::getHash)
                .containsExactlyElementsOf(node.headers(0, head).stream().map(BlockHeader::hash).toList());

        List<Block> retractions = ChainChecker.retractions(entries);
        List<String> expectedRetracted = new ArrayList<>();
        for (List<String> orphaned : orphanedPerReorg) {
            List<String> newestFirst = new ArrayList<>(orphaned);
            java.util.Collections.reverse(newestFirst);
            expectedRetracted.addAll(newestFirst);
        }
        assertThat(retractions).extracting(Block::getHash).containsExactlyElementsOf(expectedRetracted);
        // a retraction is the orphaned block with its logs, so pipes can retract what they derived
        assertThat(retractions).allSatisfy(b -> assertThat(b.getLogs()).hasSize(2));
        // each group of retractions is followed at once by the replacement blocks of those heights, all
        // in the transaction that wrote the retractions
        int groups = 0;
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).block().getRemoved() && (i == 0 || !entries.get(i - 1).block().getRemoved())) {
                int first = i;
                long oldTip = entries.get(first).block().getNumber();
                while (entries.get(i + 1).block().getRemoved()) {
                    i++;
                }
                long lowestRetracted = entries.get(i).block().getNumber();
                assertThat(entries.get(i + 1).block().getNumber()).isEqualTo(lowestRetracted);
                int replacements = (int) (oldTip - lowestRetracted + 1);
                assertOneTransaction(entries.subList(first, i + 1 + replacements));
                groups++;
            }
        }
        assertThat(groups).isEqualTo(5);
    }

    /**
     * Fails unless the entries (read read_committed) sit at consecutive offsets. Only the oracle writes
     * the partition, and each commit marker takes an offset, so a transaction boundary leaves a gap.
     */
    private static void assertOneTransaction(List<Entry> entries) {
        for (int i = 1; i < entries.size(); i++) {
            Entry previous = entries.get(i - 1);
            Entry entry = entries.get(i);
            assertThat(entry.offset()).as("offset of %s %d (%s) right after %s %d at offset %d: one transaction",
                    entry.block().getRemoved() ? "retraction" : "block", entry.block().getNumber(),
                    entry.block().getHash(), previous.block().getRemoved() ? "retraction" : "block",
                    previous.block().getNumber(), previous.offset()).isEqualTo(previous.offset() + 1);
        }
    }

    @Test
    void aReorgWhileTheOracleIsStoppedIsFoundDuringCatchUpAndRetractedBeforeTheNewBranch() throws Exception {
        chain.mineWithLogs(12, 2);
        OracleSettings settings = settings().build();
        Topic<String, Block> topic = TestTopics.blocks("restart", Network.LAYER2);
        long oldTip = chain.head();
        try (GethBlockOracle oracle = new GethBlockOracle(settings, topic)) {
            oracle.start();
            await("first run commits the head " + oldTip).atMost(Duration.ofSeconds(20))
                    .until(() -> oracle.status().oracleHead() == oldTip);
        }
        List<Entry> firstRun = TopicReader.readSettled(KAFKA.bootstrapServers(), topic.name(),
                topic.valueSerde().deserializer());
        List<Block> emittedOrphans = firstRun.subList(firstRun.size() - 3, firstRun.size()).stream()
                .map(Entry::block).toList();

        // while nothing watches: the last 3 blocks replaced by a branch whose blocks all hold log-emitting
        // transactions, then the chain grows past the old tip
        chain.reorg(3, 5);
        chain.mineWithLogs(4, 2);
        long newHead = chain.head();
        assertThat(node.headers(oldTip - 2, oldTip)).extracting(BlockHeader::hash)
                .as("anvil replaced the last 3 blocks").doesNotContainAnyElementsOf(
                        emittedOrphans.stream().map(Block::getHash).toList());

        // The restarted oracle resumes at oldTip + 1 <= the node's head, so it never runs its idle tip
        // check: the only way to notice the reorg is block oldTip + 1 not extending its window.
        try (GethBlockOracle oracle = new GethBlockOracle(settings, topic)) {
            oracle.start();
            await("restarted oracle commits the new head " + newHead).atMost(Duration.ofSeconds(20))
                    .until(() -> oracle.status().oracleHead() == newHead);
            assertThat(oracle.status().reorgs()).isEqualTo(1);
        }

        List<Entry> entries = TopicReader.readSettled(KAFKA.bootstrapServers(), topic.name(),
                topic.valueSerde().deserializer());
        List<Entry> afterRestart = entries.subList(firstRun.size(), entries.size());
        // retractions of exactly the orphaned blocks, newest first, each the emitted block with its logs
        List<Block> retractions = afterRestart.subList(0, 3).stream().map(Entry::block).toList();
        List<Block> newestFirst = new ArrayList<>(emittedOrphans);
        java.util.Collections.reverse(newestFirst);
        assertThat(retractions).allSatisfy(b -> assertThat(b.getRemoved()).isTrue());
        assertThat(retractions).extracting(b -> Block.newBuilder(b).setRemoved(false).build())
                .containsExactlyElementsOf(newestFirst);
        assertThat(retractions).allSatisfy(b -> assertThat(b.getLogs()).hasSize(2));
        // then the new canonical blocks from the first orphaned height on, and nothing else
        List<Block> replacements = afterRestart.subList(3, afterRestart.size()).stream().map(Entry::block).toList();
        assertThat(replacements).extracting(Block::getNumber).containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(oldTip - 2, newHead).boxed().toList());
        assertThat(replacements).allSatisfy(b -> assertThat(b.getRemoved()).isFalse());
        assertOneTransaction(afterRestart.subList(0, 3 + 3));

        assertThat(ChainChecker.canonical(entries)).extracting(Block::getHash)
                .containsExactlyElementsOf(node.headers(0, newHead).stream().map(BlockHeader::hash).toList());
        for (Block block : replacements) {
            NodeLogs.assertMatch(node.web3j(), block);
        }
        // the comparison above is not vacuous: every block of the new branch has logs
        assertThat(replacements).allSatisfy(b -> assertThat(b.getLogs()).isNotEmpty());
    }

    @Test
    void withConfirmationsAShallowerReorgIsNeverSeen() {
        chain.mineWithLogs(10, 2);
        OracleSettings settings = settings().confirmations(4).build();
        Topic<String, Block> topic = TestTopics.blocks("confirmed", Network.LAYER2);
        try (GethBlockOracle oracle = new GethBlockOracle(settings, topic)) {
            oracle.start();
            long head = chain.head();
            await().atMost(Duration.ofSeconds(20)).until(() -> oracle.status().oracleHead() == head - 4);
            chain.reorg(3, 4);
            chain.mineWithLogs(2, 1);
            long newHead = chain.head();
            await().atMost(Duration.ofSeconds(20)).until(() -> oracle.status().oracleHead() == newHead - 4);
            assertThat(oracle.status().reorgs()).isZero();
        }
        List<Entry> entries = TopicReader.readSettled(KAFKA.bootstrapServers(), topic.name(),
                topic.valueSerde().deserializer());
        assertThat(ChainChecker.retractions(entries)).isEmpty();
        long confirmed = chain.head() - 4;
        assertThat(ChainChecker.canonical(entries)).extracting(Block::getHash)
                .containsExactlyElementsOf(node.headers(0, confirmed).stream().map(BlockHeader::hash).toList());
    }

    @Test
    void aReorgDeeperThanTheWindowStopsTheOracleWithAClearReason() throws Exception {
        chain.mineWithLogs(10, 1);
        OracleSettings settings = settings().reorgWindow(3).build();
        Topic<String, Block> topic = TestTopics.blocks("deep", Network.LAYER2);
        GethBlockOracle oracle = new GethBlockOracle(settings, topic);
        try (oracle) {
            oracle.start();
            long head = chain.head();
            await().atMost(Duration.ofSeconds(20)).until(() -> oracle.status().oracleHead() == head);
            chain.reorg(5, 2);
            assertThat(oracle.awaitTermination(Duration.ofSeconds(20))).isTrue();
        }
        assertThat(oracle.status().state()).isEqualTo(OracleState.FAILED);
        assertThat(oracle.status().lastError()).hasValueSatisfying(reason -> assertThat(reason)
                .contains("reorg deeper than the reorg window of 3 blocks"));
        // nothing was retracted: the oracle did not guess
        assertThat(ChainChecker.retractions(TopicReader.readSettled(KAFKA.bootstrapServers(), topic.name(),
                topic.valueSerde().deserializer()))).isEmpty();
    }
}
