package io.pessimism.component;

import java.util.Objects;

/** A DAG edge: {@code upstream}'s output is an input of {@code downstream}. */
public record ComponentEdge(ComponentNode upstream, ComponentNode downstream) {

    public ComponentEdge {
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(downstream, "downstream");
    }

    @Override
    public String toString() {
        return upstream + " -> " + downstream;
    }
}
