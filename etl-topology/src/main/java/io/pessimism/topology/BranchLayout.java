package io.pessimism.topology;

import java.util.List;
import java.util.Objects;

/**
 * How a pipeline runs here, for people: its branch's prefix, the oracle topics it reads (trigger
 * first), the {@code .out} it writes and its generated topology as Kafka Streams describes it.
 *
 * @param prefix   the branch's prefix (its application id)
 * @param sources  the oracle topics it reads, trigger first
 * @param out      its output topic
 * @param describe {@code Topology.describe()} of its generated topology
 */
public record BranchLayout(String prefix, List<String> sources, String out, String describe) {

    public BranchLayout {
        Objects.requireNonNull(prefix, "prefix");
        sources = List.copyOf(sources);
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(describe, "describe");
    }
}
