package io.pessimism.registry;

import io.pessimism.network.Network;
import java.util.Objects;
import java.util.Optional;

/**
 * One input of a register: the register it reads and, when that is not the pipeline's own
 * network, the network it reads it on. Written {@code geth_block} or {@code geth_block@layer1}.
 */
public record Dependency(String register, Optional<Network> network) {

    private static final char NETWORK_SEPARATOR = '@';

    public Dependency {
        RegisterName.require(register);
        Objects.requireNonNull(network, "network");
    }

    /** A dependency on the pipeline's own network. */
    public static Dependency on(String register) {
        return new Dependency(register, Optional.empty());
    }

    /** A dependency pinned to a network, whatever the pipeline's network. */
    public static Dependency on(String register, Network network) {
        return new Dependency(register, Optional.of(network));
    }

    /** Parses {@code register} or {@code register@network}. */
    public static Dependency parse(String text) {
        Objects.requireNonNull(text, "dependency");
        int at = text.indexOf(NETWORK_SEPARATOR);
        try {
            if (at < 0) {
                return on(text);
            }
            return on(text.substring(0, at), Network.parse(text.substring(at + 1)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("dependency \"" + text
                    + "\" is not register or register@network: " + e.getMessage(), e);
        }
    }

    /** The network this dependency is read on, in a pipeline running on {@code pipelineNetwork}. */
    public Network networkIn(Network pipelineNetwork) {
        return network.orElse(pipelineNetwork);
    }

    @Override
    public String toString() {
        return network.map(n -> register + NETWORK_SEPARATOR + n.label()).orElse(register);
    }
}
