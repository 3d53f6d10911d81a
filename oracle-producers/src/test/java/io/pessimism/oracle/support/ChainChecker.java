package io.pessimism.oracle.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.pessimism.avro.Block;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * An independent reading of an oracle topic as a consumer must be able to read it: every block
 * extends the chain read so far (next height, parent = previous hash), every retraction removes the
 * current tip (so retractions come newest first). The result is the canonical chain the topic says.
 */
public final class ChainChecker {

    private ChainChecker() {
    }

    /** The canonical chain, lowest first; fails the test on any record that breaks the contract. */
    public static List<Block> canonical(List<TopicReader.Entry> entries) {
        Deque<Block> chain = new ArrayDeque<>();
        for (TopicReader.Entry entry : entries) {
            Block block = entry.block();
            assertThat(entry.key()).as("key of block %s", block.getHash()).isEqualTo(Long.toString(block.getNumber()));
            if (block.getRemoved()) {
                assertThat(chain).as("retraction of %d with nothing before it", block.getNumber()).isNotEmpty();
                assertThat(chain.peekLast().getHash()).as("retraction of %d must retract the tip", block.getNumber())
                        .isEqualTo(block.getHash());
                chain.removeLast();
            } else {
                if (!chain.isEmpty()) {
                    assertThat(block.getNumber()).as("height after %d", chain.peekLast().getNumber())
                            .isEqualTo(chain.peekLast().getNumber() + 1);
                    assertThat(block.getParentHash()).as("parent of %d", block.getNumber())
                            .isEqualTo(chain.peekLast().getHash());
                }
                chain.addLast(block);
            }
        }
        return new ArrayList<>(chain);
    }

    public static List<Block> retractions(List<TopicReader.Entry> entries) {
        return entries.stream().map(TopicReader.Entry::block).filter(Block::getRemoved).toList();
    }
}
