package io.pessimism.network;

import io.pessimism.id.Coded;

/** The chains the ETL reads, with their ids from the seed's reference implementation. */
public enum Network implements Coded {
    LAYER1(1, "layer1"),
    LAYER2(2, "layer2");

    private final byte id;
    private final String label;

    Network(int id, String label) {
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

    /** Parses a label such as {@code "layer1"}, ignoring case; the error lists the valid values. */
    public static Network parse(String text) {
        return Coded.parse(Network.class, "network", text);
    }

    /** The constant with this PID byte. */
    public static Network fromId(byte id) {
        return Coded.fromId(Network.class, "network", id);
    }
}
