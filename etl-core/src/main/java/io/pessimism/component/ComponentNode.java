package io.pessimism.component;

import io.pessimism.network.Network;
import io.pessimism.registry.Register;
import java.util.Objects;

/**
 * One component of a pipeline's DAG: a register computed on a network. Two pipelines needing
 * the same node can share its output ({@code <ns>.<network>.<register>}).
 */
public record ComponentNode(Network network, Register register) {

    public ComponentNode {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(register, "register");
    }

    /** The register's component type. */
    public ComponentType componentType() {
        return register.componentType();
    }

    /** Written like a dependency: {@code geth_block@layer1}. */
    @Override
    public String toString() {
        return register.name() + "@" + network.label();
    }
}
