package io.pessimism.component;

import io.pessimism.id.Coded;

/**
 * The seed's three kinds of component: an oracle does external I/O, a pipe computes locally, an
 * aggregator synchronizes several sources.
 */
public enum ComponentType implements Coded {
    ORACLE(1, "oracle"),
    PIPE(2, "pipe"),
    AGGREGATOR(3, "aggregator");

    private final byte id;
    private final String label;

    ComponentType(int id, String label) {
        this.id = (byte) id;
        this.label = label;
    }

    @Override
    public byte id() {
        return id;
    }

    @Override
    public String label() {
        return label;
    }

    /** Parses a label such as {@code "pipe"}, ignoring case; the error lists the valid values. */
    public static ComponentType parse(String text) {
        return Coded.parse(ComponentType.class, "component type", text);
    }

    /** The constant with this PID byte. */
    public static ComponentType fromId(byte id) {
        return Coded.fromId(ComponentType.class, "component type", id);
    }
}
