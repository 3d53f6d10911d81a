package io.pessimism.oracle.geth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pessimism.avro.Block;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChainWindowTest {

    static Block block(long number, String hash, String parent) {
        return Block.newBuilder().setNetwork("layer1").setNumber(number).setHash(hash).setParentHash(parent)
                .setTimestamp(0).setMiner("0x").setGasUsed(0).setGasLimit(0).setStateRoot("0x").setReceiptsRoot("0x")
                .setLogsBloom("0x").setTransactions(List.of()).setLogs(List.of()).build();
    }

    @Test
    void keepsTheLastBlocksUpToItsCapacity() {
        ChainWindow window = new ChainWindow(3);
        window.append(block(10, "a", "z"));
        window.append(block(11, "b", "a"));
        window.append(block(12, "c", "b"));
        window.append(block(13, "d", "c"));
        assertThat(window.size()).isEqualTo(3);
        assertThat(window.lowest()).isEqualTo(11);
        assertThat(window.at(12)).hasValueSatisfying(b -> assertThat(b.getHash()).isEqualTo("c"));
        assertThat(window.at(10)).isEmpty();
        assertThat(window.at(14)).isEmpty();
    }

    @Test
    void onlyTheNextHeightWithTheTipAsParentExtendsIt() {
        ChainWindow window = new ChainWindow(4);
        window.append(block(1, "a", "0"));
        assertThat(window.extendedBy(block(2, "b", "a"))).isTrue();
        assertThat(window.extendedBy(block(2, "b", "x"))).isFalse();
        assertThat(window.extendedBy(block(3, "c", "a"))).isFalse();
        assertThatThrownBy(() -> window.append(block(2, "b", "x"))).hasMessageContaining("does not extend the tip 1 a");
    }

    @Test
    void removesAboveAHeightNewestFirst() {
        ChainWindow window = new ChainWindow(8);
        window.append(block(1, "a", "0"));
        window.append(block(2, "b", "a"));
        window.append(block(3, "c", "b"));
        assertThat(window.removeAbove(1)).extracting(Block::getHash).containsExactly("c", "b");
        assertThat(window.tip()).hasValueSatisfying(b -> assertThat(b.getHash()).isEqualTo("a"));
    }

    @Test
    void replayingATopicWithARetractionKeepsTheCanonicalChain() {
        ChainWindow window = new ChainWindow(8);
        Block c = block(3, "c", "b");
        for (Block record : List.of(block(1, "a", "0"), block(2, "b", "a"), c,
                Block.newBuilder(c).setRemoved(true).build(),
                Block.newBuilder(block(2, "b", "a")).setRemoved(true).build(),
                block(2, "b2", "a"), block(3, "c2", "b2"))) {
            window.replay(record);
        }
        assertThat(window.tip()).hasValueSatisfying(b -> assertThat(b.getHash()).isEqualTo("c2"));
        assertThat(window.at(1)).hasValueSatisfying(b -> assertThat(b.getHash()).isEqualTo("a"));
        assertThat(window.size()).isEqualTo(3);
    }

    @Test
    void aScanStartingInsideAReorgRestartsFromTheFirstBlockThatCannotBeChained() {
        ChainWindow window = new ChainWindow(8);
        // the scan began after block 5 (retracted here) was written
        window.replay(Block.newBuilder(block(5, "e", "d")).setRemoved(true).build());
        window.replay(block(5, "e2", "d"));
        window.replay(block(6, "f2", "e2"));
        assertThat(window.lowest()).isEqualTo(5);
        assertThat(window.tip()).hasValueSatisfying(b -> assertThat(b.getHash()).isEqualTo("f2"));
    }
}
