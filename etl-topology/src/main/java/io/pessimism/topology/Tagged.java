package io.pessimism.topology;

/**
 * A record on its way into an aggregator, with the index of the register dependency it came
 * through ({@link InputTag}). Passed between two nodes of one task in memory only (never
 * serialized).
 *
 * @param input the index of the dependency in the aggregator's register
 * @param value the record's value as its input produced it (a block, a pipe's output)
 */
public record Tagged(int input, Object value) {
}
