package io.pessimism.pipeline;

import io.pessimism.id.Coded;

/** How a pipeline reads its chain: following the head, or a bounded range of history. */
public enum PipelineType implements Coded {
    BACKTEST(1, "backtest"),
    LIVE(2, "live");

    private final byte id;
    private final String label;

    PipelineType(int id, String label) {
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

    /** Parses a label such as {@code "live"}, ignoring case; the error lists the valid values. */
    public static PipelineType parse(String text) {
        return Coded.parse(PipelineType.class, "pipeline type", text);
    }

    /** The constant with this PID byte. */
    public static PipelineType fromId(byte id) {
        return Coded.fromId(PipelineType.class, "pipeline type", id);
    }
}
