package io.pessimism.config;

import java.util.Objects;

/** Where a setting's value came from, for errors and {@code describe()}. */
public record ConfigSource(Kind kind, String detail) {

    /** The sources in increasing precedence. */
    public enum Kind { DEFAULT, FILE, ENV, OVERRIDE }

    public static final ConfigSource DEFAULT = new ConfigSource(Kind.DEFAULT, "");
    public static final ConfigSource OVERRIDE = new ConfigSource(Kind.OVERRIDE, "");

    public ConfigSource {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(detail, "detail");
    }

    public static ConfigSource file(String path) {
        return new ConfigSource(Kind.FILE, path);
    }

    public static ConfigSource env(String variable) {
        return new ConfigSource(Kind.ENV, variable);
    }

    /** {@code default}, {@code file <path>}, {@code env PESSIMISM_X} or {@code override}. */
    @Override
    public String toString() {
        return switch (kind) {
            case DEFAULT -> "default";
            case FILE -> "file " + detail;
            case ENV -> "env " + detail;
            case OVERRIDE -> "override";
        };
    }
}
