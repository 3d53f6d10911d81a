package io.pessimism.aggregator;

import io.pessimism.network.Network;

/**
 * One input of an aggregator in a branch.
 *
 * @param index       the index of its dependency in the aggregator's register (its {@code Tagged} index)
 * @param dependency  the dependency as the register writes it, e.g. {@code geth_block@layer2}
 * @param network     the network its blocks are on
 * @param trigger     whether it is the trigger source
 * @param reorgWindow how deep a reorg of its network can reach: a block that deep is final
 */
record SyncSource(int index, String dependency, Network network, boolean trigger, int reorgWindow) {
}
