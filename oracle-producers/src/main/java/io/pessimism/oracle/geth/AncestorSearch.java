package io.pessimism.oracle.geth;

import io.pessimism.avro.Block;
import io.pessimism.oracle.rpc.BlockHeader;
import io.pessimism.oracle.rpc.NodeClient;
import java.util.List;

/**
 * Walks back from the window's tip to the newest block the node still has at the same height with the
 * same hash: the common ancestor of what the oracle emitted and the node's canonical chain.
 */
final class AncestorSearch {

    private static final int STEP = 16;

    private AncestorSearch() {
    }

    /**
     * @return the height of the common ancestor
     * @throws ReorgTooDeepException when no block of the window is on the node's chain any more
     */
    static long commonAncestor(ChainWindow window, NodeClient node) {
        Block tip = window.tip().orElseThrow(() -> new IllegalStateException("no emitted block to walk back from"));
        long lowest = window.lowest();
        for (long top = tip.getNumber(); top >= lowest; top -= STEP) {
            long bottom = Math.max(lowest, top - STEP + 1);
            List<BlockHeader> headers = node.headers(bottom, top);
            for (int i = headers.size() - 1; i >= 0; i--) {
                BlockHeader header = headers.get(i);
                Block emitted = window.at(header.number()).orElseThrow();
                if (emitted.getHash().equals(header.hash())) {
                    return header.number();
                }
            }
        }
        throw new ReorgTooDeepException("reorg deeper than the reorg window of " + window.capacity()
                + " blocks: every emitted block from " + lowest + " to " + tip.getNumber() + " (tip "
                + tip.getHash() + ") differs from the node's chain; the oracle stops rather than diverge."
                + " Raise reorgWindow or rebuild the topic");
    }
}
