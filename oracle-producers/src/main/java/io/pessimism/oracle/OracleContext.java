package io.pessimism.oracle;

import io.pessimism.network.Network;
import io.pessimism.topic.Topics;
import java.util.Objects;

/**
 * What an {@link OracleDefinition} builds one network's routine from: which oracle, how it runs
 * on that network (built from the configuration), and the topics (names, serdes, configs) it
 * writes and reads.
 */
public record OracleContext(OracleId id, OracleSettings settings, Topics topics) {

    public OracleContext {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(topics, "topics");
        if (settings.network() != id.network()) {
            throw new IllegalArgumentException("oracle " + id + ": settings are for network "
                    + settings.network().label());
        }
    }

    public Network network() {
        return id.network();
    }
}
