package io.pessimism.control;

import java.util.OptionalLong;
import io.pessimism.network.Network;

/** The block a request accepted now is assigned on a network: its head + 1. */
@FunctionalInterface
public interface NextBlocks {

    long nextBlock(Network network);

    /**
     * The first block the network's block topic holds (the oracle began there, or retention
     * deleted what came before), empty when the topic is empty or this reader cannot tell: a
     * pipeline cannot start below it.
     */
    default OptionalLong firstHeld(Network network) {
        return OptionalLong.empty();
    }
}
