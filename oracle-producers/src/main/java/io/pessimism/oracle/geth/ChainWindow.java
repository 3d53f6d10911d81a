package io.pessimism.oracle.geth;

import io.pessimism.avro.Block;
import io.pessimism.oracle.TopicTail;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The last {@code capacity} canonical blocks the oracle has emitted, consecutive in height. It is
 * what the parent-hash check compares against, what a reorg walks back through, and what a
 * retraction re-emits (the orphaned block with its logs), so it keeps whole blocks.
 */
final class ChainWindow implements TopicTail.Replay<Block> {

    private final int capacity;
    private final Deque<Block> blocks;

    ChainWindow(int capacity) {
        this(capacity, new ArrayDeque<>());
    }

    private ChainWindow(int capacity, Deque<Block> blocks) {
        this.capacity = capacity;
        this.blocks = blocks;
    }

    ChainWindow copy() {
        return new ChainWindow(capacity, new ArrayDeque<>(blocks));
    }

    int capacity() {
        return capacity;
    }

    int size() {
        return blocks.size();
    }

    boolean isEmpty() {
        return blocks.isEmpty();
    }

    Optional<Block> tip() {
        return Optional.ofNullable(blocks.peekLast());
    }

    /** The lowest height still kept; a reorg reaching below it cannot be resolved. */
    long lowest() {
        Block first = blocks.peekFirst();
        if (first == null) {
            throw new IllegalStateException("the window is empty");
        }
        return first.getNumber();
    }

    Optional<Block> at(long height) {
        Block tip = blocks.peekLast();
        if (tip == null || height > tip.getNumber() || height < lowest()) {
            return Optional.empty();
        }
        int fromEnd = (int) (tip.getNumber() - height);
        var it = blocks.descendingIterator();
        for (int i = 0; i < fromEnd; i++) {
            it.next();
        }
        return Optional.of(it.next());
    }

    /** True when {@code block} extends the tip: the next height, and its parent is the tip's hash. */
    boolean extendedBy(Block block) {
        Block tip = blocks.peekLast();
        return tip == null
                || (block.getNumber() == tip.getNumber() + 1 && block.getParentHash().equals(tip.getHash()));
    }

    void append(Block block) {
        if (!extendedBy(block)) {
            throw new IllegalStateException("block " + block.getNumber() + " " + block.getHash()
                    + " does not extend the tip " + tip().map(b -> b.getNumber() + " " + b.getHash()).orElse(""));
        }
        blocks.addLast(block);
        if (blocks.size() > capacity) {
            blocks.removeFirst();
        }
    }

    /** Rebuilt from the topic's tail: as many blocks as it keeps. */
    @Override
    public boolean full() {
        return blocks.size() >= capacity;
    }

    /** Removes every block above {@code height} and returns them newest first. */
    List<Block> removeAbove(long height) {
        List<Block> removed = new ArrayList<>();
        while (!blocks.isEmpty() && blocks.peekLast().getNumber() > height) {
            removed.add(blocks.removeLast());
        }
        return removed;
    }

    /**
     * Applies a record read back from the oracle's own topic: a retraction drops that height and
     * everything above; a block replaces whatever was at its height and above. A record that does not
     * continue what is kept (the scan started mid-reorg) restarts the window from it.
     */
    @Override
    public void replay(Block record) {
        removeAbove(record.getNumber() - 1);
        if (record.getRemoved()) {
            return;
        }
        if (!extendedBy(record)) {
            blocks.clear();
        }
        append(record);
    }
}
