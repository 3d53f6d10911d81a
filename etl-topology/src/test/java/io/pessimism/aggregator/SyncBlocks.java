package io.pessimism.aggregator;

import io.pessimism.avro.Block;
import io.pessimism.avro.L1L2BlockSync;
import io.pessimism.avro.L1L2BlockSyncOutput;
import io.pessimism.avro.SourceBlocks;
import io.pessimism.network.Network;
import io.pessimism.topology.TestBlocks;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.LongStream;

/** Two chains with different block times, layer1 every 12 s and layer2 every 2 s, and how to read tuples. */
public final class SyncBlocks {

    /** Block time of both chains' block 0. */
    static final long GENESIS = 1_700_000_000L;

    private SyncBlocks() {
    }

    /** Layer1 block {@code n}, at GENESIS + 12 n. */
    static Block l1(long n) {
        return block(Network.LAYER1, n, GENESIS + 12 * n, "");
    }

    /** Layer2 block {@code n}, at GENESIS + 2 n. */
    static Block l2(long n) {
        return block(Network.LAYER2, n, GENESIS + 2 * n, "");
    }

    /** Block {@code n} of another branch of {@code chain}'s chain (other hash, same time). */
    static Block fork(Block canonical) {
        return Block.newBuilder(canonical).setHash(TestBlocks.hash(canonical.getNumber(), canonical.getNetwork() + "b"))
                .build();
    }

    static Block block(Network network, long number, long time, String salt) {
        return Block.newBuilder(TestBlocks.block(number)).setNetwork(network.label())
                .setHash(TestBlocks.hash(number, network.label() + salt))
                .setParentHash(TestBlocks.hash(number - 1, network.label() + salt)).setTimestamp(time).build();
    }

    /** Both chains from block 1, merged by block time (a tie: the layer1 block first). */
    public static List<Block> byTime(long l1Last, long l2Last) {
        List<Block> all = new ArrayList<>();
        LongStream.rangeClosed(1, l1Last).mapToObj(SyncBlocks::l1).forEach(all::add);
        LongStream.rangeClosed(1, l2Last).mapToObj(SyncBlocks::l2).forEach(all::add);
        all.sort(Comparator.comparingLong(Block::getTimestamp).thenComparing(Block::getNetwork));
        return all;
    }

    static Block retraction(Block block) {
        return Block.newBuilder(block).setRemoved(true).build();
    }

    /** The block numbers a tuple holds of its source {@code index}. */
    static List<Long> numbers(L1L2BlockSync tuple, int index) {
        return tuple.getSources().get(index).getBlocks().stream().map(b -> b.getNumber()).toList();
    }

    static List<Long> numbers(L1L2BlockSyncOutput out, int index) {
        return numbers(out.getValue(), index);
    }

    static SourceBlocks source(L1L2BlockSyncOutput out, int index) {
        return out.getValue().getSources().get(index);
    }
}
