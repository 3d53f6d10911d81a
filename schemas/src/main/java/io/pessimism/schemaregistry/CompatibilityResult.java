package io.pessimism.schemaregistry;

import java.util.List;

/** The outcome of a compatibility check; {@code messages} name each incompatibility found. */
public record CompatibilityResult(boolean compatible, List<String> messages) {

    public CompatibilityResult {
        messages = List.copyOf(messages);
    }

    public static CompatibilityResult ok() {
        return new CompatibilityResult(true, List.of());
    }
}
