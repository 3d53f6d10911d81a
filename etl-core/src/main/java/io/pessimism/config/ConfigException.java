package io.pessimism.config;

import java.util.List;

/** The configuration cannot be used; one line per problem, each naming the key and source. */
public final class ConfigException extends RuntimeException {

    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super("invalid configuration:\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    /**
     * Each problem, e.g.
     * {@code networks.layer1.confirmations: "-1" (from env PESSIMISM_...) must be >= 0}.
     */
    public List<String> problems() {
        return problems;
    }
}
