package io.pessimism.schemaregistry;

import java.util.Arrays;
import java.util.Locale;

/**
 * Confluent's compatibility levels. BACKWARD: the new schema reads data written with the old;
 * FORWARD: the old reads the new; FULL: both. A {@code _TRANSITIVE} level checks every live
 * version of the subject, the others only the latest.
 */
public enum CompatibilityLevel {
    NONE(false, false, false),
    BACKWARD(true, false, false),
    BACKWARD_TRANSITIVE(true, false, true),
    FORWARD(false, true, false),
    FORWARD_TRANSITIVE(false, true, true),
    FULL(true, true, false),
    FULL_TRANSITIVE(true, true, true);

    private final boolean backward;
    private final boolean forward;
    private final boolean transitive;

    CompatibilityLevel(boolean backward, boolean forward, boolean transitive) {
        this.backward = backward;
        this.forward = forward;
        this.transitive = transitive;
    }

    /** The new schema must read the old ones' data. */
    public boolean backward() {
        return backward;
    }

    /** The old schemas must read the new one's data. */
    public boolean forward() {
        return forward;
    }

    /** Checked against every live version rather than the latest only. */
    public boolean transitive() {
        return transitive;
    }

    /**
     * Parses a level name, case-insensitively.
     *
     * @throws SchemaRegistryException 422/42203 naming the accepted levels
     */
    public static CompatibilityLevel parse(String name) {
        if (name != null) {
            for (CompatibilityLevel level : values()) {
                if (level.name().equals(name.trim().toUpperCase(Locale.ROOT))) {
                    return level;
                }
            }
        }
        throw new SchemaRegistryException(422, SchemaRegistryException.INVALID_COMPATIBILITY_LEVEL,
                "Invalid compatibility level '" + name + "'; expected one of " + Arrays.toString(values()));
    }
}
