package io.pessimism.control;

import io.pessimism.network.Network;

/** The block a request accepted now is assigned on a network: its head + 1. */
@FunctionalInterface
public interface NextBlocks {

    long nextBlock(Network network);
}
