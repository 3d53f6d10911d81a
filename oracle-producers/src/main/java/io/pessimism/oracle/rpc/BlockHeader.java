package io.pessimism.oracle.rpc;

/** The identity of a block as the node currently sees it at a height: enough to find a common ancestor. */
public record BlockHeader(long number, String hash, String parentHash) {
}
