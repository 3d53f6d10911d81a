package io.pessimism.topology.bench;

import io.pessimism.avro.BlockReference;
import io.pessimism.avro.L1L2BlockSync;
import io.pessimism.avro.SourceBlocks;
import io.pessimism.network.Network;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What {@code bench aggregate} checks of each pass's output before it counts the pass: the chains
 * it filled are layer1 blocks 1..n+1 every {@value AggregateBench#L1_BLOCK_TIME} s and layer2 blocks
 * 1..2(n+1) every second of block time, and a pass is measured over the first n layer1 blocks.
 */
final class AggregateOutputCheck {

    private AggregateOutputCheck() {
    }

    /**
     * The aggregator's tuples: at least {@code tuples}, the first {@code tuples} triggered by layer1
     * blocks 1..{@code tuples} in order, none removed or stalled, each holding the layer2 blocks of
     * its window in order, so that together they hold layer2 blocks 1..{@code 2 tuples} each once.
     *
     * @throws IllegalStateException naming the pass, the tuple and the block that is wrong
     */
    static void tuples(List<L1L2BlockSync> read, int tuples, String pass) {
        if (read.size() < tuples) {
            throw new IllegalStateException(pass + ": " + read.size() + " tuples, fewer than the " + tuples
                    + " layer1 blocks measured");
        }
        long nextL2 = 1;
        for (int i = 0; i < tuples; i++) {
            L1L2BlockSync tuple = read.get(i);
            if (tuple.getTrigger().getNumber() != i + 1 || tuple.getRemoved() || !tuple.getStalled().isEmpty()) {
                throw new IllegalStateException(pass + ": tuple " + (i + 1) + " is not complete and triggered by "
                        + "layer1 block " + (i + 1) + ": " + tuple);
            }
            Long from = tuple.getFromTime();
            for (SourceBlocks source : tuple.getSources()) {
                if (source.getTrigger()) {
                    continue;
                }
                for (BlockReference block : source.getBlocks()) {
                    boolean inWindow = block.getTimestamp() <= tuple.getTrigger().getTimestamp()
                            && (from == null || block.getTimestamp() > from);
                    if (block.getNumber() != nextL2 || !inWindow) {
                        throw new IllegalStateException(pass + ": tuple " + tuple.getTupleId() + " holds layer2 block "
                                + block.getNumber() + " (time " + block.getTimestamp() + "), expected block " + nextL2
                                + " in its window (" + from + ", " + tuple.getTrigger().getTimestamp() + "]");
                    }
                    nextL2++;
                }
            }
        }
        long l2Blocks = (long) tuples * AggregateBench.L1_BLOCK_TIME;
        if (nextL2 != l2Blocks + 1) {
            throw new IllegalStateException(pass + ": the tuples hold layer2 blocks 1.." + (nextL2 - 1) + ", not 1.."
                    + l2Blocks);
        }
    }

    /** A block the pass-through forwarded: its network's label and number. */
    record Forwarded(String network, long number) {
    }

    /**
     * The pass-through's output: every block of both chains up to the measured span's
     * ({@code tuples} layer1 blocks, {@code 2 tuples} layer2 blocks) exactly once, and nothing but
     * the filled blocks (the span's closing blocks may be there or not: the pass ends once the span
     * is through).
     *
     * @throws IllegalStateException naming the pass and the block missing, repeated or unknown
     */
    static void forwarded(List<Forwarded> read, int tuples, String pass) {
        Set<Forwarded> seen = new HashSet<>();
        for (Forwarded block : read) {
            if (block.number() < 1 || block.number() > last(block.network(), tuples + 1)) {
                throw new IllegalStateException(pass + ": the pass-through wrote " + block + ", never filled");
            }
            if (!seen.add(block)) {
                throw new IllegalStateException(pass + ": the pass-through wrote " + block + " twice");
            }
        }
        for (Network network : Network.values()) {
            for (long number = 1; number <= last(network.label(), tuples); number++) {
                if (!seen.contains(new Forwarded(network.label(), number))) {
                    throw new IllegalStateException(pass + ": the pass-through did not write " + network.label()
                            + " block " + number);
                }
            }
        }
    }

    /** The last block on {@code network} of the span of {@code layer1Blocks} layer1 blocks. */
    private static long last(String network, int layer1Blocks) {
        return network.equals(Network.LAYER1.label()) ? layer1Blocks
                : (long) layer1Blocks * AggregateBench.L1_BLOCK_TIME;
    }
}
